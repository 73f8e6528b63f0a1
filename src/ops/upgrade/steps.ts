// The upgrade's steps as data: servers strictly one after another (a dependsOn chain), then agents
// in batches (a batch starts when the previous one is uncordoned), the snapshot before any server.
import type { Step } from '../../engine/step.js';

export const AGENT_LANE = 'upgrade-agents';

interface HostStepsInput {
  host: string;
  role: 'server' | 'agent';
  drain: boolean;
  after: string[];
  target: string;
  /** The cluster runs embedded etcd (not a single server on SQLite): servers get the quorum guard. */
  etcd: boolean;
}

/** One host's steps: [quorum check] → [cordon → drain] → upgrade → wait → [uncordon]; returns them and the last id. */
function hostSteps({ host, role, drain, after, target, etcd }: HostStepsInput): { steps: Step[]; last: string } {
  const steps: Step[] = [];
  let previous = after;
  const add = (action: string, changes: boolean, reason: string) => {
    const step: Step = { id: `${action}:${host}`, host, action, changes, reason, dependsOn: previous };
    if (role === 'agent') step.lane = AGENT_LANE;
    steps.push(step);
    previous = [step.id];
  };
  if (role === 'server' && etcd) add('check-quorum', false, 'etcd healthy, every member a voter, quorum kept with this server down');
  if (drain) {
    add('cordon', true, 'no new pods while it restarts');
    add('drain', true, 'evict its pods (--ignore-daemonsets --delete-emptydir-data, bounded)');
  }
  add('upgrade-k3s', true, `install ${target} and restart K3s`);
  add('wait-upgraded', false, role === 'server' && etcd ? `node Ready on ${target} and its etcd member healthy` : `node Ready on ${target}`);
  if (drain) add('uncordon', true, 'schedulable again');
  return { steps, last: previous[0]! };
}

export interface UpgradeStepsInput {
  target: string;
  servers: string[];
  agentBatches: string[][];
  /** Hosts on the target but left cordoned by an interrupted upgrade. */
  uncordonOnly: string[];
  drain: boolean;
  snapshot?: { host: string; name: string };
  /** Default true; false for a single server on SQLite (no etcd to guard). */
  etcd?: boolean;
}

export function buildUpgradeSteps(input: UpgradeStepsInput): Step[] {
  const steps: Step[] = [];
  let after: string[] = [];
  if (input.snapshot && input.servers.length > 0) {
    const id = `etcd-snapshot:${input.snapshot.host}`;
    steps.push({ id, host: input.snapshot.host, action: 'etcd-snapshot', changes: true, reason: `k3s etcd-snapshot save --name ${input.snapshot.name}: the way back`, dependsOn: [] });
    after = [id];
  }
  for (const server of input.servers) {
    const { steps: own, last } = hostSteps({ host: server, role: 'server', drain: input.drain, after, target: input.target, etcd: input.etcd !== false });
    steps.push(...own);
    after = [last];
  }
  for (const batch of input.agentBatches) {
    const lasts: string[] = [];
    for (const agent of batch) {
      const { steps: own, last } = hostSteps({ host: agent, role: 'agent', drain: input.drain, after, target: input.target, etcd: input.etcd !== false });
      steps.push(...own);
      lasts.push(last);
    }
    after = lasts;
  }
  for (const host of input.uncordonOnly) {
    steps.push({ id: `uncordon:${host}`, host, action: 'uncordon', changes: true, reason: 'on the target already, but left cordoned by an interrupted upgrade', dependsOn: [] });
  }
  return steps;
}
