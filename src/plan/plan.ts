// plan(): inventory (+ facts) → Plan. Pure: no I/O, no clock, no logger, so dry-run is free and
// every decision can be tested from data.
import type { FleetFacts } from '../facts/types.js';
import type { HostSpec, Inventory } from '../inventory/types.js';
import { agentConfig, serverConfig, serverUrl } from './host-config.js';
import { quorumOf } from './quorum.js';
import { selectServers } from './select-servers.js';
import { buildSteps } from './steps.js';
import type { Plan, PlannedHost, PlanWarning } from './types.js';

export function plan(inventory: Inventory, facts?: FleetFacts): Plan {
  const selection = selectServers(inventory, facts);
  const warnings: PlanWarning[] = [...selection.warnings];
  const existingCluster = selection.existingMembers.size > 0;
  const first = chooseFirstServer(selection.servers, selection.existingMembers, warnings);
  const joinUrl = serverUrl(first.address);
  const agentUrl = serverUrl(inventory.cluster.registrationAddress ?? first.address);
  const existingServers = selection.servers.filter((host) => host !== first && selection.existingMembers.has(host.name));
  const joiningServers = selection.servers.filter((host) => host !== first && !selection.existingMembers.has(host.name));
  const hasToken = inventory.cluster.token !== undefined;
  if (existingCluster) {
    warnings.push({ code: 'existing-cluster', host: first.name, message: `a cluster already runs (${[...selection.existingMembers].join(', ')}): no cluster-init; new servers join ${first.name}` });
  }

  const hosts: PlannedHost[] = inventory.hosts.map((host) => {
    const isServer = selection.servers.includes(host);
    const planned: PlannedHost = {
      name: host.name,
      address: host.address,
      role: isServer ? 'server' : 'agent',
      reason: selection.reasons.get(host.name) ?? 'inventory',
      config: isServer
        ? serverConfig(host, inventory, host === first ? { kind: 'first', newCluster: !existingCluster } : { kind: 'joining', joinUrl })
        : agentConfig(host, inventory, agentUrl),
    };
    if (host !== first) planned.joinUrl = isServer ? joinUrl : agentUrl;
    const p99 = facts?.get(host.name)?.disk?.p99Ms;
    if (p99 !== undefined) planned.fsyncP99Ms = p99;
    if (host.disk !== undefined) planned.disk = host.disk;
    return planned;
  });

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
    hosts,
    steps: buildSteps({
      allHosts: inventory.hosts.map((host) => host.name),
      firstServer: first.name,
      newCluster: !existingCluster,
      existingServers: existingServers.map((host) => host.name),
      joiningServers: joiningServers.map((host) => host.name),
      agents: selection.agents.map((host) => host.name),
    }),
    warnings,
  };
  if (inventory.cluster.registrationAddress !== undefined) result.registrationAddress = inventory.cluster.registrationAddress;
  return result;
}

/** The init host, else the first server; with a running cluster, a member (never a new node). */
function chooseFirstServer(servers: HostSpec[], members: Set<string>, warnings: PlanWarning[]): HostSpec {
  const init = servers.find((host) => host.init);
  if (members.size === 0) return init ?? servers[0]!;
  const member = init && members.has(init.name) ? init : servers.find((host) => members.has(host.name))!;
  if (init && init !== member) {
    warnings.push({ code: 'existing-cluster', host: init.name, message: `init: true on ${init.name} is ignored: the cluster already runs on ${member.name}` });
  }
  return member;
}
