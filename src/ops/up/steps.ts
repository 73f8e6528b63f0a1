// up's steps, as data the engine walks: stale members first, then the servers strictly one after
// another (etcd admits one learner at a time), each waited for while a later one still changes;
// agents through the bounded queue from when the first server is ready (or after the last);
// then verify and the kubeconfig, after everything else has ended.
import type { Step } from '../../engine/step.js';
import type { PlannedHost, PlannedStaleMember } from './types.js';

export interface UpStepInput {
  /** Servers in join order: the first, the existing members, the joining ones. */
  servers: PlannedHost[];
  agents: PlannedHost[];
  staleMembers: PlannedStaleMember[];
  agentsWaitFor: 'first-server' | 'all-servers';
  /** A snapshot the first server is reset from once installed, before any other host joins it. */
  restoreFrom?: string;
  /** cluster.registrationAddress as a server URL: agents registering through it wait for its check. */
  registrationUrl?: string;
}

export const WAIT_REASON = 'wait until its node is Ready and it votes in etcd, before the next server changes';

/**
 * A converged server is waited for only when a server after it changes: the next join needs a
 * settled etcd (voter, no learner); a run that changes no server skips the waits altogether.
 */
export function serverWaits(servers: PlannedHost[]): boolean[] {
  const changes = servers.map((s) => s.action !== 'none');
  return servers.map((_, i) => changes.slice(i).some(Boolean));
}

export function buildUpSteps(input: UpStepInput): Step[] {
  const steps: Step[] = [];
  let tail: string | undefined;
  const chained = () => (tail !== undefined ? [tail] : []);
  for (const stale of input.staleMembers) {
    const id = `remove-stale-member:${stale.host}`;
    const reason = `etcd still lists ${stale.host}'s old member ${stale.memberName || '(unstarted)'} (ID ${stale.memberId}) but the host was re-imaged${stale.node ? `; its node object ${stale.node} goes too` : ''}`;
    steps.push({ id, host: stale.host, action: 'remove-stale-member', changes: true, reason, dependsOn: chained() });
    tail = id;
  }
  const servers = input.servers.filter((s) => s.action !== 'left-out');
  const waits = serverWaits(servers);
  let firstReady: string | undefined;
  servers.forEach((server, index) => {
    const action = server.action === 'convert-to-etcd' ? 'convert-to-etcd' : 'install-server';
    const id = `${action}:${server.name}`;
    steps.push({ id, host: server.name, action, changes: server.action !== 'none', reason: server.actionReason, dependsOn: chained(), lane: 'servers' });
    tail = id;
    // The conversion step waits for the server itself (it must check the nodes survived).
    if (waits[index] && action === 'install-server') {
      tail = `wait-server:${server.name}`;
      steps.push({ id: tail, host: server.name, action: 'wait-server', changes: false, reason: WAIT_REASON, dependsOn: [id], lane: 'servers' });
    }
    if (index === 0 && input.restoreFrom !== undefined && server.action !== 'none') {
      const restore = `restore-snapshot:${server.name}`;
      steps.push({
        id: restore,
        host: server.name,
        action: 'restore-snapshot',
        changes: true,
        reason: `reset etcd from snapshot ${input.restoreFrom}, then start and wait, before anything joins`,
        dependsOn: [tail!],
        lane: 'servers',
      });
      tail = restore;
    }
    if (index === 0) firstReady = tail;
  });
  let agentGate = input.agentsWaitFor === 'all-servers' ? tail : firstReady;
  const agents = input.agents.filter((a) => a.action !== 'left-out');
  // Before any agent is pointed at the registration address, something must answer there as this cluster.
  const through = agents.find((a) => a.action !== 'none' && input.registrationUrl !== undefined && a.config['server'] === input.registrationUrl);
  if (through) {
    const id = 'check-registration-address:cluster';
    steps.push({
      id,
      host: through.name,
      action: 'check-registration-address',
      changes: false,
      reason: `agents register through ${input.registrationUrl}: check from ${through.name} that it answers with this cluster's certificate`,
      dependsOn: agentGate ? [agentGate] : [],
    });
    agentGate = id;
  }
  for (const agent of agents) {
    steps.push({
      id: `install-agent:${agent.name}`,
      host: agent.name,
      action: 'install-agent',
      changes: agent.action !== 'none',
      reason: agent.actionReason,
      dependsOn: agentGate ? [agentGate] : [],
      lane: 'agents',
    });
  }
  const before = steps.map((s) => s.id);
  const host = servers[0]?.name ?? 'cluster';
  const gate = firstReady ? [firstReady] : [];
  const after = before.filter((id) => id !== firstReady);
  steps.push({ id: 'verify:cluster', host, action: 'verify', changes: false, reason: 'every node Ready, every server an etcd voting member', dependsOn: gate, after });
  steps.push({ id: 'kubeconfig:cluster', host, action: 'kubeconfig', changes: false, reason: 'fetch the admin kubeconfig into .fleet/<cluster>/kubeconfig', dependsOn: gate, after });
  return steps;
}
