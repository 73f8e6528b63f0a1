// The checks around one host's upgrade: the quorum guard just before a server restarts (facts go
// stale during a run), and the wait until the host runs the target, Ready, with a healthy member.
import { memberAt } from '../../facts/etcd-members.js';
import { healthyMemberIds } from '../../facts/member-health.js';
import { findNode } from '../../facts/nodes.js';
import { readClusterView, type ClusterView } from '../../facts/cluster-view.js';
import { CommandError } from '../../errors.js';
import { findHealthyMember } from '../../facts/live-server.js';
import { checkEtcdForUpgrade, type EtcdGate } from './etcd-gate.js';
import type { Transport } from '../../ssh/transport.js';

export interface ClusterAccess {
  /** Servers of the cluster, in inventory order. */
  servers: string[];
  transportFor: (name: string) => Promise<Transport>;
}

/** Guard of a server's upgrade: re-read etcd from a healthy member and apply the quorum rule. */
export async function checkQuorumBefore(access: ClusterAccess, server: string): Promise<EtcdGate> {
  const order = [...access.servers.filter((s) => s !== server), server];
  const member = await findHealthyMember(order, access.transportFor);
  if (!member) return checkEtcdForUpgrade({ etcdHealthy: false, members: [], healthyIds: new Set() }, server);
  const members = member.view.members!;
  const healthyIds = await healthyMemberIds(await access.transportFor(member.name), members);
  return checkEtcdForUpgrade({ etcdHealthy: member.view.etcdHealthy, members, healthyIds }, server);
}

export interface WaitTarget {
  host: { name: string; address: string };
  role: 'server' | 'agent';
  version: string;
  /** The cluster runs embedded etcd: a server's member must be a healthy voter too. */
  etcd: boolean;
  timeoutMs: number;
  pollMs?: number;
  signal?: AbortSignal;
}

/** Why the host is not there yet; undefined once it runs the target, Ready (and its member healthy). */
async function notYet(access: ClusterAccess, target: WaitTarget): Promise<string | undefined> {
  const from = target.role === 'server' ? [target.host.name] : access.servers;
  let view: ClusterView | undefined;
  let transport: Transport | undefined;
  for (const server of from) {
    try {
      transport = await access.transportFor(server);
      view = await readClusterView(transport, 10_000);
      if (view.nodes) break;
    } catch {
      view = undefined;
    }
  }
  if (!view?.nodes || !transport) return `the API does not answer${view?.nodesError ? `: ${view.nodesError}` : ''}`;
  const node = findNode(view.nodes, target.host);
  if (!node) return 'its node is not registered';
  if (node.version !== target.version) return `its node reports ${node.version}`;
  if (!node.ready) return 'its node is not Ready';
  if (target.role === 'agent' || !target.etcd) return undefined;
  const member = view.members && memberAt(view.members, target.host.address);
  if (!view.etcdHealthy || !member) return 'its etcd member is not healthy yet';
  if (member.isLearner) return 'its etcd member is still a learner';
  const healthy = await healthyMemberIds(transport, [member]);
  return healthy.has(member.id) ? undefined : 'its etcd member is not healthy yet';
}

export async function waitUpgraded(access: ClusterAccess, target: WaitTarget): Promise<void> {
  const deadline = Date.now() + target.timeoutMs;
  let why: string | undefined = 'not checked';
  while (Date.now() < deadline) {
    why = await notYet(access, target);
    if (why === undefined) return;
    if (target.signal?.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, target.pollMs ?? 500));
  }
  throw new CommandError(target.host.name, 'wait for the upgrade', null, why ?? '', `${target.host.name}: not running ${target.version} within ${Math.round(target.timeoutMs / 1000)} s: ${why}`);
}
