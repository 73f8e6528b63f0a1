// A host that was re-imaged comes back without etcd data while the cluster still lists its old
// member (same peer address) and its old node object. The plan names them (src/ops/up/plan-stale-members.ts);
// here they are checked against quorum and confirmed before anything changes, then removed by
// their own steps before the host rejoins.
import { checkMemberRemoval } from '../../rules/member-hosts.js';
import { deleteNode } from '../../actions/delete-node.js';
import { healthyMemberIds, removeMember } from '../../facts/member-health.js';
import type { EtcdMember } from '../../facts/etcd-members.js';
import type { ClusterView } from '../../facts/cluster-view.js';
import { SafetyError } from '../../errors.js';
import type { PlannedStaleMember } from './types.js';
import type { Transport } from '../../ssh/transport.js';

export interface StaleMemberOptions {
  /** --yes: scripts confirm up front. */
  yes?: boolean;
  /** Ask a person; absent when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

const describeMember = (stale: PlannedStaleMember) => `${stale.memberName || '(unstarted)'} (ID ${stale.memberId}, peer ${stale.peerURLs.join(',')})`;

/** Refuses a removal that would lose quorum, then asks (or takes --yes); changes nothing. */
export async function confirmStaleRemoval(target: { name: string; view: ClusterView }, stale: PlannedStaleMember[], transport: Transport, options: StaleMemberOptions): Promise<void> {
  if (stale.length === 0) return;
  const members = target.view.members ?? [];
  const healthy = await healthyMemberIds(transport, members);
  let remaining = members;
  for (const entry of stale) {
    const check = checkMemberRemoval(remaining, healthy, entry.memberId);
    if (!check.allowed) {
      throw new SafetyError(
        `${entry.host} was re-imaged but etcd still lists its old member ${describeMember(entry)}, and removing it would lose quorum: ${check.why}`,
        'bring the other servers back first, then run fleet again',
        entry.host,
      );
    }
    remaining = remaining.filter((m) => m.id !== entry.memberId);
  }
  const finding = `etcd still lists ${stale.map((s) => `${s.host}'s old member ${describeMember(s)}`).join('; ')}, but ${stale.length === 1 ? 'that host was' : 'those hosts were'} re-imaged`;
  if (options.yes) return;
  if (!options.confirm)
    throw new SafetyError(`${finding}: it must be removed before the host rejoins, and nothing was changed`, 'run again with --yes to confirm the removal (there is no terminal to ask on)');
  if (!(await options.confirm(`${finding}. Remove it so the host can rejoin? [y/N] `)))
    throw new SafetyError('the stale etcd member was not removed: nothing was changed', 'run again and answer y, or pass --yes');
}

/** Removes one stale member and its old node object; returns what changed, in words. */
export async function removeStaleMember(transport: Transport, stale: PlannedStaleMember): Promise<string[]> {
  const member: EtcdMember = { id: stale.memberId, name: stale.memberName, peerURLs: stale.peerURLs, clientURLs: [], isLearner: false };
  await removeMember(transport, member);
  const removed = [`removed stale etcd member ${describeMember(stale)} of re-imaged ${stale.host}`];
  if (stale.node) {
    await deleteNode(transport, stale.node);
    removed.push(`deleted the old node object ${stale.node} (its node password was lost with the re-image)`);
  }
  return removed;
}
