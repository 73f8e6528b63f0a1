// Which etcd member is which inventory host (by the peer URL, which K3s sets to the node address),
// which members no inventory host accounts for, and which of them are stale: the member's host
// was re-imaged and holds no etcd data any more, so the member can never come back by itself.
import type { HostFacts } from '../facts/types.js';
import { majority } from './quorum.js';
import { memberAt, type EtcdMember } from '../facts/etcd-members.js';

export interface MemberMatch {
  /** Inventory host name → its member. */
  byHost: Map<string, EtcdMember>;
  /** Members at no inventory host's address. */
  strangers: EtcdMember[];
  /** Inventory hosts with no member. */
  absent: string[];
}

export function matchMembers(members: EtcdMember[], hosts: Array<{ name: string; address: string }>): MemberMatch {
  const byHost = new Map<string, EtcdMember>();
  for (const host of hosts) {
    const member = memberAt(members, host.address);
    if (member) byHost.set(host.name, member);
  }
  const matched = new Set([...byHost.values()].map((m) => m.id));
  return {
    byHost,
    strangers: members.filter((m) => !matched.has(m.id)),
    absent: hosts.filter((h) => !byHost.has(h.name)).map((h) => h.name),
  };
}

export interface StaleMember {
  host: string;
  member: EtcdMember;
}

/** Members whose host answered and has no etcd data: the host was re-imaged since it joined. */
export function staleMembers(members: EtcdMember[], hosts: Array<{ name: string; address: string }>, facts: (name: string) => HostFacts | undefined): StaleMember[] {
  const { byHost } = matchMembers(members, hosts);
  const stale: StaleMember[] = [];
  for (const [host, member] of byHost) {
    const hostFacts = facts(host);
    if (hostFacts?.reachable && !hostFacts.unreadable?.includes('k3s.etcdData') && !hostFacts.k3s.etcdData) stale.push({ host, member });
  }
  return stale;
}

export interface RemovalCheck {
  allowed: boolean;
  /** The figures, in words. */
  why: string;
}

/**
 * Removing a member is safe when the voters left still have quorum among the healthy ones:
 * etcd needs a majority of the remaining voters to agree on the removal and afterwards.
 */
export function checkMemberRemoval(members: EtcdMember[], healthy: ReadonlySet<string>, removeId: string): RemovalCheck {
  const remaining = members.filter((m) => m.id !== removeId && !m.isLearner);
  const quorum = majority(remaining.length);
  const healthyLeft = remaining.filter((m) => healthy.has(m.id)).length;
  const why = `${remaining.length} voting member${remaining.length === 1 ? '' : 's'} would remain, ${healthyLeft} healthy, quorum ${quorum}`;
  return { allowed: remaining.length > 0 && healthyLeft >= quorum, why };
}
