// planUpgrade(): inventory + facts + what a healthy server sees → the upgrade plan. Pure: no I/O,
// no clock. Every refusal (skew, downgrade, quorum, learner) is thrown here, before anything runs.
import { findNode, type NodeInfo } from '../../facts/nodes.js';
import { InputError, SafetyError } from '../../errors.js';
import type { FleetFacts } from '../../facts/types.js';
import type { HostSpec, Inventory } from '../../inventory/types.js';
import { checkEtcdForUpgrade, type EtcdHealthView } from './etcd-gate.js';
import { maxUnavailable } from '../../rules/max-unavailable.js';
import { buildUpgradeSteps } from './steps.js';
import type { UpgradeHost, UpgradeOptions, UpgradePlan } from './types.js';
import { versionStep } from '../../rules/version-skew.js';

export interface UpgradeClusterView {
  /** The healthy server the view was read from. */
  from: string;
  nodes: NodeInfo[];
  /** Absent on a single server without etcd (SQLite). */
  etcd?: EtcdHealthView;
}

/** The target: cluster.k3s.version (a channel is not resolved: an upgrade names its version). */
export function upgradeTarget(inventory: Inventory): string {
  const version = inventory.cluster.k3s.version;
  if (!version) {
    throw new InputError(
      `${inventory.file}: cluster.k3s.version is not set${inventory.cluster.k3s.channel ? ` (only channel: ${inventory.cluster.k3s.channel})` : ''}: fleet upgrade needs the exact version to upgrade to`,
      'set cluster.k3s.version to the release to upgrade to, e.g. v1.32.1+k3s1 (one minor above the running one)',
    );
  }
  return version;
}

/** One host: where it stands and what the upgrade does with it; refuses what the rules refuse. */
export function judgeHost(host: HostSpec, facts: FleetFacts, nodes: NodeInfo[], target: string, allowDowngrade: boolean): UpgradeHost {
  const hostFacts = facts.get(host.name);
  if (!hostFacts?.reachable) {
    throw new SafetyError(
      `${host.name} is unreachable (${hostFacts?.error ?? 'no facts'}): fleet upgrade needs every host of the inventory`,
      `bring ${host.name} back, or take it out of the inventory for this upgrade`,
      host.name,
    );
  }
  const k3s = hostFacts.k3s;
  if (!k3s.installed || !k3s.role) {
    throw new SafetyError(
      `${host.name} does not run K3s: fleet upgrade upgrades the hosts of a running cluster`,
      `take ${host.name} out of the inventory for the upgrade and add it afterwards with fleet add-node`,
      host.name,
    );
  }
  const node = findNode(nodes, host);
  const from = node?.version || k3s.version || '';
  const step = versionStep(host.name, from, target, allowDowngrade);
  const base = { name: host.name, role: k3s.role, from };
  if (step === 'same' && k3s.version === target && node?.ready) {
    if (node.unschedulable) return { ...base, action: 'uncordon', reason: `runs ${target}, left cordoned by an interrupted upgrade` };
    return { ...base, action: 'none', reason: `runs ${target} already: left alone` };
  }
  if (step === 'same')
    return { ...base, action: 'upgrade', reason: node?.ready ? `node reports ${target} but the installed binary is ${k3s.version ?? 'unknown'}` : `not Ready: installed again and restarted` };
  return { ...base, action: 'upgrade', reason: `${from} → ${target} (${step})` };
}

export function planUpgrade(inventory: Inventory, facts: FleetFacts, view: UpgradeClusterView, options: UpgradeOptions): UpgradePlan {
  const target = upgradeTarget(inventory);
  const hosts = inventory.hosts.map((host) => judgeHost(host, facts, view.nodes, target, options.allowDowngrade));
  const servers = hosts.filter((h) => h.role === 'server' && h.action === 'upgrade').map((h) => h.name);
  const agents = hosts.filter((h) => h.role === 'agent' && h.action === 'upgrade').map((h) => h.name);
  const allAgents = hosts.filter((h) => h.role === 'agent').length;
  const limit = maxUnavailable(options.maxUnavailable, allAgents, options.concurrency);
  const agentBatches: string[][] = [];
  for (let i = 0; i < agents.length; i += limit.value) agentBatches.push(agents.slice(i, i + limit.value));
  agentBatches.forEach((batch, index) => batch.forEach((name) => (hosts.find((h) => h.name === name)!.batch = index)));

  const warnings: string[] = [];
  const etcd = view.etcd && servers.length > 0 ? checkEtcdForUpgrade(view.etcd) : undefined;
  if (etcd?.voters === 1) warnings.push(`a single server: the Kubernetes API is down while ${servers[0]} restarts`);
  const snapshot = options.snapshot && servers.length > 0 && view.etcd ? { host: view.from, name: snapshotName(target) } : undefined;
  const uncordonOnly = hosts.filter((h) => h.action === 'uncordon').map((h) => h.name);
  const plan: UpgradePlan = {
    cluster: inventory.cluster.name,
    target,
    readFrom: view.from,
    hosts,
    servers,
    agentBatches,
    maxUnavailable: limit,
    drain: options.drain,
    drainTimeoutSeconds: options.drainTimeoutSeconds,
    rules: [],
    warnings,
    steps: buildUpgradeSteps({ target, servers, agentBatches, uncordonOnly, drain: options.drain, snapshot, etcd: view.etcd !== undefined }),
  };
  if (etcd) plan.etcd = etcd;
  if (snapshot) plan.snapshot = snapshot;
  plan.rules = describeRules(plan, options);
  return plan;
}

/** K3s snapshot names become object names: no `+`. */
export function snapshotName(target: string): string {
  return `fleet-pre-upgrade-${target.replace(/[^A-Za-z0-9.-]/g, '-')}`;
}

function describeRules(plan: UpgradePlan, options: UpgradeOptions): string[] {
  const done = plan.hosts.filter((h) => h.action === 'none').map((h) => h.name);
  const rules = [
    `version skew: servers first, one at a time (${plan.servers.join(' → ') || 'none left'}); no agent before every server runs ${plan.target}; one minor at a time${options.allowDowngrade ? '; downgrades allowed (--allow-downgrade)' : '; no downgrade'}`,
    `quorum: ${plan.etcd ? plan.etcd.arithmetic : plan.servers.length === 0 ? 'no server to restart' : 'no embedded etcd (single server)'}; checked again before each server`,
    `snapshot: ${plan.snapshot ? `k3s etcd-snapshot save --name ${plan.snapshot.name} on ${plan.snapshot.host} before the first server` : !options.snapshot ? 'skipped (--no-snapshot)' : 'none (no server to upgrade)'}`,
    `agents: --max-unavailable ${plan.maxUnavailable.arithmetic}; ${plan.agentBatches.length} batch${plan.agentBatches.length === 1 ? '' : 'es'}`,
    `drain: ${plan.drain ? `cordon, then kubectl drain --ignore-daemonsets --delete-emptydir-data --timeout=${plan.drainTimeoutSeconds}s, uncordon once Ready on ${plan.target}` : '--no-drain: no cordon, no drain'}`,
  ];
  if (done.length > 0) rules.push(`already on ${plan.target}: ${done.join(', ')} (left alone)`);
  return rules;
}
