// `fleet reset` as a pure plan: every host of the inventory ends with no K3s. Agents go first,
// through the bounded queue; then the servers, one at a time (the last ones lose quorum on the
// way, which no longer matters: the cluster is being torn down). Each uninstall is followed by a
// check that nothing is left. Hosts that did not answer cannot be touched: the plan says so and
// the run ends with exit 1.
import type { Step } from '../../engine/step.js';
import type { FleetFacts, HostFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';

export type ResetAction = 'uninstall-server' | 'uninstall-agent' | 'check-only' | 'unreachable';

export interface ResetHost {
  name: string;
  action: ResetAction;
  reason: string;
}

export interface ResetPlan {
  cluster: string;
  hosts: ResetHost[];
  /** .fleet/<cluster>/ is removed afterwards (unless --keep-state). */
  removeLocalState: boolean;
  concurrency: number;
  warnings: string[];
  steps: Step[];
}

export const RESET_AGENT_LANE = 'agents';

function actionOf(facts: HostFacts | undefined): { action: ResetAction; reason: string } {
  if (!facts?.reachable) return { action: 'unreachable', reason: `could not be reached (${facts?.error ?? 'no answer'}): whatever K3s it holds stays on its disk` };
  const k3s = facts.k3s;
  if (k3s.role === 'server' || k3s.etcdData || k3s.sqliteData) return { action: 'uninstall-server', reason: `K3s server${k3s.running ? ' (running)' : ''}${k3s.etcdData ? ' with etcd data' : ''}` };
  if (k3s.installed) return { action: 'uninstall-agent', reason: `K3s agent${k3s.running ? ' (running)' : ''}` };
  return { action: 'check-only', reason: 'no K3s service found: only checked for leftovers' };
}

/** After a host's uninstall (or alone, on a host without K3s): nothing of K3s is left on it. */
function checkCleanStep(host: string, dependsOn: string[]): Step {
  return { id: `check-clean:${host}`, host, action: 'check-clean', changes: false, reason: 'no K3s process, unit, binary, config or data left', dependsOn };
}

export function planReset(inventory: Inventory, facts: FleetFacts, options: { keepState?: boolean; concurrency?: number } = {}): ResetPlan {
  const hosts: ResetHost[] = inventory.hosts.map((h) => ({ name: h.name, ...actionOf(facts.get(h.name)) }));
  const steps: Step[] = [];
  const agentSteps: string[] = [];
  for (const host of hosts.filter((h) => h.action === 'uninstall-agent' || h.action === 'check-only')) {
    if (host.action === 'uninstall-agent') {
      steps.push({ id: `uninstall:${host.name}`, host: host.name, action: 'uninstall', changes: true, reason: 'run k3s-agent-uninstall.sh', dependsOn: [], lane: RESET_AGENT_LANE });
      agentSteps.push(`uninstall:${host.name}`);
    }
    steps.push({ ...checkCleanStep(host.name, host.action === 'uninstall-agent' ? [`uninstall:${host.name}`] : []), lane: RESET_AGENT_LANE });
  }
  // Servers after every agent, one at a time, the first server last: the others' etcd goes first.
  let previous: string[] = agentSteps;
  for (const host of hosts.filter((h) => h.action === 'uninstall-server').reverse()) {
    steps.push({
      id: `uninstall:${host.name}`,
      host: host.name,
      action: 'uninstall',
      changes: true,
      reason: 'run k3s-uninstall.sh (stops K3s and etcd, removes units, config, data and binary)',
      dependsOn: previous,
    });
    steps.push(checkCleanStep(host.name, [`uninstall:${host.name}`]));
    previous = [`check-clean:${host.name}`];
  }
  const warnings = hosts
    .filter((h) => h.action === 'unreachable')
    .map((h) => `${h.name} ${h.reason}; run k3s-uninstall.sh (or k3s-agent-uninstall.sh) on it, or re-image it, before it rejoins a network`);
  return { cluster: inventory.cluster.name, hosts, removeLocalState: !options.keepState, concurrency: options.concurrency ?? inventory.cluster.concurrency, warnings, steps };
}
