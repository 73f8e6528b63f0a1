// A host that was re-imaged comes back without etcd data while the cluster still lists its old
// member (same peer address) and its old node object. Both are removed explicitly before the host
// rejoins: after a confirmation, and only while the voters left keep quorum.
import { checkMemberRemoval, staleMembers, type StaleMember } from '../cluster/member-hosts.js';
import { deleteNode } from '../cluster/delete-node.js';
import { healthyMemberIds, removeMember } from '../cluster/member-health.js';
import { findNode } from '../cluster/nodes.js';
import type { ClusterView } from '../cluster/read-state.js';
import { SafetyError } from '../errors.js';
import type { FleetFacts } from '../facts/types.js';
import type { Transport } from '../ssh/transport.js';

export interface StaleMemberOptions {
  /** --yes: scripts confirm up front. */
  yes?: boolean;
  /** Ask a person; absent when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

const describeMember = (stale: StaleMember) => `${stale.member.name || '(unstarted)'} (ID ${stale.member.id}, peer ${stale.member.peerURLs.join(',')})`;

/** Finds, confirms and removes stale members of `joining`; returns what was removed, in words. */
export async function removeStaleMembers(
  target: { name: string; view: ClusterView },
  joining: Array<{ name: string; address: string }>,
  facts: FleetFacts,
  transportFor: (name: string) => Promise<Transport>,
  options: StaleMemberOptions,
): Promise<string[]> {
  const members = target.view.members ?? [];
  const stale = staleMembers(members, joining, (name) => facts.get(name));
  if (stale.length === 0) return [];
  const transport = await transportFor(target.name);
  const healthy = await healthyMemberIds(transport, members);
  let remaining = members;
  for (const entry of stale) {
    const check = checkMemberRemoval(remaining, healthy, entry.member.id);
    if (!check.allowed) {
      throw new SafetyError(
        `${entry.host} was re-imaged but etcd still lists its old member ${describeMember(entry)}, and removing it would lose quorum: ${check.why}`,
        'bring the other servers back first, then run fleet again',
        entry.host,
      );
    }
    remaining = remaining.filter((m) => m.id !== entry.member.id);
  }
  const finding = `etcd still lists ${stale.map((s) => `${s.host}'s old member ${describeMember(s)}`).join('; ')}, but ${stale.length === 1 ? 'that host was' : 'those hosts were'} re-imaged`;
  if (!options.yes) {
    if (!options.confirm) throw new SafetyError(`${finding}: it must be removed before the host rejoins, and nothing was changed`, 'run again with --yes to confirm the removal (there is no terminal to ask on)');
    if (!(await options.confirm(`${finding}. Remove it so the host can rejoin? [y/N] `))) throw new SafetyError('the stale etcd member was not removed: nothing was changed', 'run again and answer y, or pass --yes');
  }
  const removed: string[] = [];
  for (const entry of stale) {
    await removeMember(transport, entry.member);
    removed.push(`removed stale etcd member ${describeMember(entry)} of re-imaged ${entry.host}`);
    const host = joining.find((h) => h.name === entry.host)!;
    const node = target.view.nodes ? findNode(target.view.nodes, host) : undefined;
    if (node) {
      await deleteNode(transport, node.name);
      removed.push(`deleted the old node object ${node.name} (its node password was lost with the re-image)`);
    }
  }
  return removed;
}
