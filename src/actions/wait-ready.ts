// Waiting for K3s: a server counts as ready when its node is Ready, its etcd answers healthy and
// it is a voting member (not a learner). The next server joins only then, since etcd admits one
// learner at a time. Agents are waited for together, from a server's view of the node list.
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandError, InterruptedError } from '../errors.js';
import { memberAt } from '../facts/etcd-members.js';
import { findNode, type NodeInfo } from '../facts/nodes.js';
import { readClusterView, type ClusterView } from '../facts/cluster-view.js';
import type { Transport } from '../ssh/transport.js';

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * The pause before poll number `attempt` (0-based): the given interval, else 250 ms doubling to
 * 1 s. Most waits end within a second, and a flat 1 s poll made verify wait up to 1 s for
 * nothing (bench: the critical path).
 */
export function pollDelay(attempt: number, intervalMs?: number): number {
  return intervalMs ?? Math.min(1000, 250 * 2 ** attempt);
}

export type ServerReadiness = { ready: true } | { ready: false; why: string };

export function serverReadiness(view: ClusterView, host: { name: string; address: string }): ServerReadiness {
  if (!view.nodes) return { ready: false, why: `the API does not answer yet (${view.nodesError ?? 'no node list'})` };
  const node = findNode(view.nodes, host);
  if (!node) return { ready: false, why: 'its node is not registered yet' };
  if (!node.ready) return { ready: false, why: 'its node is NotReady' };
  if (!view.members) return { ready: false, why: `etcd does not answer (${view.membersError ?? 'no member list'})` };
  if (!view.etcdHealthy) return { ready: false, why: 'etcd is not healthy (no leader)' };
  const member = memberAt(view.members, host.address);
  if (!member) return { ready: false, why: 'it is not an etcd member yet' };
  if (member.isLearner) return { ready: false, why: 'it is still an etcd learner (catching up)' };
  const learner = view.members.find((m) => m.isLearner);
  if (learner) return { ready: false, why: `etcd still has a learner (${learner.name || learner.id}) pending` };
  return { ready: true };
}

async function journalTail(transport: Transport, unit: string): Promise<string> {
  try {
    const result = await transport.exec(`journalctl -u ${unit} -n 15 --no-pager 2>&1 | tail -n 15`, { sudo: true, timeoutMs: 10_000 });
    return result.stdout.trim();
  } catch {
    return '';
  }
}

/** Poll `transport`'s own server until it is ready; throws with the last reason and its journal. */
export async function waitForServer(transport: Transport, host: { name: string; address: string }, options: WaitOptions = {}): Promise<ClusterView> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 300_000);
  let why: string;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new InterruptedError(`interrupted while waiting for ${host.name}`);
    const view = await readClusterView(transport).catch((err: Error) => ({ from: host.name, etcdHealthy: false, nodesError: err.message }) as ClusterView);
    const readiness = serverReadiness(view, host);
    if (readiness.ready) return view;
    why = readiness.why;
    if (now() >= deadline) break;
    await sleep(pollDelay(attempt, options.intervalMs));
  }
  const journal = await journalTail(transport, 'k3s');
  throw new CommandError(host.name, 'wait for server', null, journal, `${host.name} did not become a ready server in time: ${why}${journal ? `\nlast lines of journalctl -u k3s:\n${journal}` : ''}`);
}

export interface AgentWaitResult {
  ready: string[];
  notReady: Map<string, string>;
  nodes: NodeInfo[];
  /** The last read of the cluster, so verify can judge it without reading it again. */
  view: ClusterView;
}

/** Poll a server's node list until every agent is Ready or time runs out; never throws for agents. */
export async function waitForNodes(server: Transport, hosts: Array<{ name: string; address: string }>, options: WaitOptions = {}): Promise<AgentWaitResult> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 300_000);
  let last: AgentWaitResult;
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw new InterruptedError('interrupted while waiting for nodes');
    const view = await readClusterView(server).catch((err: Error) => ({ from: server.host, etcdHealthy: false, nodesError: err.message }) as ClusterView);
    const nodes = view.nodes ?? [];
    last = { ready: [], notReady: new Map(), nodes, view };
    for (const host of hosts) {
      const node = findNode(nodes, host);
      if (node?.ready) last.ready.push(host.name);
      else last.notReady.set(host.name, !view.nodes ? `the API did not answer: ${view.nodesError ?? ''}` : node ? 'node is NotReady' : 'node never registered');
    }
    if (last.notReady.size === 0 || now() >= deadline) return last;
    await sleep(pollDelay(attempt, options.intervalMs));
  }
}
