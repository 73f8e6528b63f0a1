// plan(): inventory (+ facts) → Plan. Pure: no I/O, no clock, no logger, so dry-run is free and
// every decision can be tested from data.
import { SafetyError } from '../../errors.js';
import type { FleetFacts, HostFacts } from '../../facts/types.js';
import type { HostSpec, Inventory } from '../../inventory/types.js';
import { configDrift, DATASTORE_FLAGS, describeDrift, mustMatchConflicts, refuseMustMatchConflicts } from '../../rules/drift.js';
import { agentConfig, serverConfig, serverUrl } from '../../rules/host-config.js';
import { duplicateHostnameWarnings, keepRunningNodeName } from '../../rules/node-name.js';
import { compareK3sVersions, FIRST_SQLITE_CONVERSION } from '../../rules/version-order.js';
import { quorumOf } from '../../rules/quorum.js';
import { refuseVersionChange } from './version-change.js';
import { selectServers } from '../../rules/select-servers.js';
import { decideWithFacts, type LiveFacts } from './decide.js';
import { buildUpSteps } from './steps.js';
import { kubeVipManifests } from '../../rules/vip.js';
import { planRegistries } from '../../rules/registries-plan.js';
import type { Plan, PlannedHost, PlanWarning, RoleReason } from './types.js';

export interface PlanOptions extends Partial<Omit<LiveFacts, 'facts'>> {
  /**
   * The member new servers join, when the executor has checked which one is healthy now; by
   * default a member whose facts show it running (never a dead one when a live one exists).
   */
  joinTarget?: string;
  /** `fleet up --restore-from`: the snapshot the new first server is reset from before anything joins. */
  restoreFrom?: string;
}

export function plan(inventory: Inventory, facts?: FleetFacts, options: PlanOptions = {}): Plan {
  const result = planRoles(inventory, facts, options);
  if (facts) decideWithFacts(result, inventory, { ...options, facts });
  const byName = new Map(result.hosts.map((h) => [h.name, h]));
  const servers = [result.firstServer, ...result.existingServers, ...result.joiningServers].map((name) => byName.get(name)!);
  result.steps = buildUpSteps({
    servers,
    agents: result.agents.map((name) => byName.get(name)!),
    staleMembers: result.staleMembers,
    agentsWaitFor: result.agentsWaitFor,
    ...(options.restoreFrom !== undefined ? { restoreFrom: options.restoreFrom } : {}),
    ...(inventory.cluster.registrationAddress !== undefined ? { registrationUrl: serverUrl(inventory.cluster.registrationAddress) } : {}),
  });
  return result;
}

/** Roles, join order, each host's config.yaml and drift: what the inventory and facts imply. */
function planRoles(inventory: Inventory, facts: FleetFacts | undefined, options: PlanOptions): Plan {
  const selection = selectServers(inventory, facts, { votersDecideEven: options.addNode !== undefined });
  const warnings: PlanWarning[] = [...selection.warnings, ...duplicateHostnameWarnings(inventory.hosts, facts)];
  const existingCluster = selection.existingMembers.size > 0;
  const first = chooseFirstServer(selection.servers, selection.existingMembers, warnings, facts, options.joinTarget ?? options.view?.from);
  const joinUrl = serverUrl(first.address);
  if (facts && existingCluster) {
    const running = [...selection.existingMembers].filter((name) => facts.get(name)?.k3s.running);
    refuseMustMatchConflicts(mustMatchConflicts(inventory.cluster.config, running, facts));
  }
  const convertToEtcd = existingCluster && selection.servers.length > 1 ? sqliteServerToConvert(first, facts?.get(first.name)) : undefined;
  if (facts) refuseVersionChange(inventory, facts);
  const agentUrl = serverUrl(inventory.cluster.registrationAddress ?? first.address);
  const existingServers = selection.servers.filter((host) => host !== first && selection.existingMembers.has(host.name));
  const joiningServers = selection.servers.filter((host) => host !== first && !selection.existingMembers.has(host.name));
  const hasToken = inventory.cluster.token !== undefined;
  if (existingCluster) {
    warnings.push({ code: 'existing-cluster', host: first.name, message: `a cluster already runs (${[...selection.existingMembers].join(', ')}): no cluster-init; new servers join ${first.name}` });
  }

  const hosts = inventory.hosts.map((host) => planHost(host, { inventory, facts, first, servers: selection.servers, reasons: selection.reasons, existingCluster, convertToEtcd, joinUrl, agentUrl }));

  const { servers, quorum, faultTolerance } = quorumOf(selection.servers.length);
  const result: Plan = {
    cluster: inventory.cluster.name,
    basis: facts ? 'facts' : 'dry-run',
    k3s: { ...inventory.cluster.k3s },
    token: hasToken ? 'inventory' : existingCluster ? 'cluster' : 'generated',
    existingCluster,
    firstServer: first.name,
    joiningServers: joiningServers.map((host) => host.name),
    existingServers: existingServers.map((host) => host.name),
    agents: selection.agents.map((host) => host.name),
    servers,
    quorum,
    faultTolerance,
    concurrency: inventory.cluster.concurrency,
    agentsWaitFor: inventory.cluster.agentsWaitFor,
    hosts,
    staleMembers: [],
    steps: [],
    warnings,
  };
  if (options.view && selection.existingMembers.has(first.name)) result.joinTarget = first.name;
  if (inventory.cluster.registrationAddress !== undefined) result.registrationAddress = inventory.cluster.registrationAddress;
  if (inventory.cluster.vip !== undefined) result.kubeVip = { host: first.name, manifests: kubeVipManifests(inventory.cluster.vip) };
  if (convertToEtcd) {
    result.convertToEtcd = convertToEtcd;
    warnings.push({
      code: 'existing-cluster',
      host: convertToEtcd,
      message: `${convertToEtcd} runs K3s on SQLite: it is restarted with cluster-init to convert its datastore to etcd before the other servers join`,
    });
  }
  return result;
}

interface HostPlanInput {
  inventory: Inventory;
  facts: FleetFacts | undefined;
  first: HostSpec;
  servers: HostSpec[];
  reasons: Map<string, RoleReason>;
  existingCluster: boolean;
  convertToEtcd: string | undefined;
  joinUrl: string;
  agentUrl: string;
}

/** One host's role, action, config.yaml, join URL and drift. */
function planHost(host: HostSpec, input: HostPlanInput): PlannedHost {
  const { inventory, facts, first, servers, reasons, existingCluster, convertToEtcd, joinUrl, agentUrl } = input;
  const isServer = servers.includes(host);
  const planned: PlannedHost = {
    name: host.name,
    address: host.address,
    role: isServer ? 'server' : 'agent',
    reason: reasons.get(host.name) ?? 'inventory',
    action: 'install',
    actionReason: !isServer
      ? 'install K3s as an agent'
      : host === first
        ? existingCluster
          ? 'install K3s on the first server (it joins the running cluster)'
          : 'install K3s with cluster-init'
        : `install K3s as a server joining ${first.name}`,
    config: keepRunningNodeName(
      host,
      isServer
        ? serverConfig(host, inventory, host === first ? { kind: 'first', newCluster: !existingCluster || convertToEtcd !== undefined } : { kind: 'joining', joinUrl })
        : agentConfig(host, inventory, installedAgentUrl(facts?.get(host.name)) ?? agentUrl),
      facts?.get(host.name),
    ),
  };
  if (host !== first) planned.joinUrl = typeof planned.config['server'] === 'string' ? planned.config['server'] : isServer ? joinUrl : agentUrl;
  const hostFacts = facts?.get(host.name);
  const registries = planRegistries(host.registries, hostFacts ? (hostFacts.k3s.registries ?? { status: 'unknown' }) : undefined);
  if (registries) planned.registries = registries;
  const drift = driftOf(planned, hostFacts);
  if (drift.length > 0) planned.drift = drift;
  const p99 = facts?.get(host.name)?.disk?.p99Ms;
  if (p99 !== undefined) planned.fsyncP99Ms = p99;
  if (host.disk !== undefined) planned.disk = host.disk;
  return planned;
}

/** A running agent keeps the server URL it registered with: its load balancer knows every server. */
function installedAgentUrl(facts: HostFacts | undefined): string | undefined {
  const server = facts?.k3s.role === 'agent' ? facts.k3s.config?.['server'] : undefined;
  return typeof server === 'string' ? server : undefined;
}

/** What `up` would change in this host's config.yaml, in words; empty for new hosts. */
function driftOf(planned: PlannedHost, facts: HostFacts | undefined): string[] {
  const k3s = facts?.k3s;
  if (!k3s?.installed || !k3s.config || k3s.role !== planned.role) return [];
  const flags = configDrift(k3s.config, planned.config, k3s.etcdData ? DATASTORE_FLAGS : []).map(describeDrift);
  // K3s reads registries.yaml only at start: a changed file means a restart, like a changed flag.
  return planned.registries && planned.registries.change !== 'none' ? [...flags, planned.registries.reason] : flags;
}

/** The single server to convert from SQLite to etcd, after its version passed the gate. */
function sqliteServerToConvert(first: HostSpec, facts: HostFacts | undefined): string | undefined {
  if (!facts?.k3s.sqliteData || facts.k3s.etcdData) return undefined;
  const version = facts.k3s.version ?? 'an unknown version';
  const order = facts.k3s.version ? compareK3sVersions(facts.k3s.version, FIRST_SQLITE_CONVERSION) : undefined;
  if (order === undefined || order < 0) {
    throw new SafetyError(
      `${first.name} runs K3s ${version} on SQLite; converting it to etcd needs ${FIRST_SQLITE_CONVERSION} or later`,
      `upgrade K3s on ${first.name} first (set cluster.k3s.version to ${FIRST_SQLITE_CONVERSION} or later and run fleet upgrade with ${first.name} as the only server), then add the other servers`,
      first.name,
    );
  }
  return first.name;
}

/** The init host, else the first server; with a running cluster, a member (never a new node). */
function chooseFirstServer(servers: HostSpec[], members: Set<string>, warnings: PlanWarning[], facts: FleetFacts | undefined, joinTarget: string | undefined): HostSpec {
  const init = servers.find((host) => host.init);
  if (members.size === 0) return init ?? servers[0]!;
  const target = joinTarget !== undefined ? servers.find((host) => host.name === joinTarget && members.has(host.name)) : undefined;
  // A member that answered and runs K3s; a dead first server must never be the join target.
  const live = (host: HostSpec) => members.has(host.name) && facts?.get(host.name)?.reachable === true && facts.get(host.name)?.k3s.running === true;
  const member = target ?? (init && live(init) ? init : (servers.find(live) ?? (init && members.has(init.name) ? init : servers.find((host) => members.has(host.name))!)));
  if (init && init !== member) {
    warnings.push({ code: 'existing-cluster', host: init.name, message: `init: true on ${init.name} is ignored: the cluster already runs on ${member.name}` });
  }
  return member;
}
