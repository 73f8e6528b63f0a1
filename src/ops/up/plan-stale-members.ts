// Which etcd members belong to re-imaged hosts that are about to rejoin: planned from the live
// member's view, so `fleet plan` shows the removal that `up` will ask to confirm.
import { staleMembers } from '../../rules/member-hosts.js';
import { findNode } from '../../facts/nodes.js';
import type { ClusterView } from '../../facts/cluster-view.js';
import type { FleetFacts } from '../../facts/types.js';
import type { PlannedHost, PlannedStaleMember } from './types.js';

export function planStaleMembers(view: ClusterView | undefined, joining: PlannedHost[], facts: FleetFacts): PlannedStaleMember[] {
  if (!view?.members || joining.length === 0) return [];
  return staleMembers(view.members, joining, (name) => facts.get(name)).map(({ host, member }) => {
    const planned: PlannedStaleMember = { host, memberId: member.id, memberName: member.name, peerURLs: member.peerURLs };
    const node = view.nodes
      ? findNode(
          view.nodes,
          joining.find((h) => h.name === host)!,
        )
      : undefined;
    if (node) planned.node = node.name;
    return planned;
  });
}
