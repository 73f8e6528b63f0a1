// Make sure a removed server's etcd member is gone. K3s's etcd member controller removes it when
// the node object is deleted; when it is still listed after a while (no controller ran, or the
// node object was already gone), fleet removes it itself, after the same quorum check as for
// stale members. Ends by checking that etcd on the live server is healthy.
import { checkMemberRemoval } from '../rules/member-hosts.js';
import { healthyMemberIds, removeMember } from '../facts/member-health.js';
import { readClusterView, type ClusterView } from '../facts/cluster-view.js';
import { SafetyError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';

export interface MemberRef {
  id: string;
  name: string;
  peerURL: string;
}

export interface MemberGoneOptions {
  /** How long K3s gets to remove the member itself. */
  waitMs?: number;
  pollMs?: number;
  read?: (server: Transport) => Promise<ClusterView>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const listed = (view: ClusterView, member: MemberRef) => view.members?.some((m) => m.id === member.id || (member.peerURL !== '' && m.peerURLs.includes(member.peerURL))) ?? true;

export async function ensureMemberGone(server: Transport, member: MemberRef, options: MemberGoneOptions = {}): Promise<{ changed: string }> {
  const read = options.read ?? ((t: Transport) => readClusterView(t));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? 15_000);
  const label = `${member.name || '(unstarted)'} (ID ${member.id})`;
  let view = await read(server);
  while (listed(view, member) && now() < deadline) {
    await sleep(options.pollMs ?? 1000);
    view = await read(server);
  }
  let changed = `etcd member ${label} removed by K3s with the node`;
  if (listed(view, member)) {
    const members = view.members ?? [];
    const target = members.find((m) => m.id === member.id || m.peerURLs.includes(member.peerURL));
    if (!view.members || !target) throw new Error(`could not list etcd members on ${server.host}: ${view.membersError ?? 'no answer'}`);
    const check = checkMemberRemoval(members, await healthyMemberIds(server, members), target.id);
    if (!check.allowed)
      throw new SafetyError(`etcd still lists ${label}, and removing it would lose quorum: ${check.why}`, 'bring the other servers back (fleet status), then run fleet remove-node again', server.host);
    await removeMember(server, target);
    view = await read(server);
    if (listed(view, member)) throw new Error(`etcd still lists ${label} after removing it`);
    changed = `etcd member ${label} was still listed: removed explicitly`;
  }
  if (!view.etcdHealthy) throw new Error(`etcd on ${server.host} is not healthy after removing ${label}`);
  return { changed };
}
