// Verify: the cluster as a server sees it matches the plan — every planned node present and
// Ready, servers carrying the control-plane/etcd/master roles and voting in etcd.
import { memberAt } from '../facts/etcd-members.js';
import { findNode, type NodeInfo } from '../facts/nodes.js';
import { readClusterView, type ClusterView } from '../facts/cluster-view.js';
import type { PlannedHost } from '../ops/up/types.js';
import type { Transport } from '../ssh/transport.js';

export const SERVER_ROLES = ['control-plane', 'etcd', 'master'] as const;

export interface VerifyProblem {
  host: string;
  message: string;
}

export interface VerifyResult {
  nodes: NodeInfo[];
  problems: VerifyProblem[];
}

/** Pure: compare a cluster view with the planned hosts. */
export function checkClusterView(view: ClusterView, hosts: Array<Pick<PlannedHost, 'name' | 'address' | 'role'>>): VerifyResult {
  const nodes = view.nodes ?? [];
  const problems: VerifyProblem[] = [];
  for (const host of hosts) {
    const node = findNode(nodes, host);
    if (!node) {
      problems.push({ host: host.name, message: view.nodes ? 'no node registered for this host' : `the node list could not be read: ${view.nodesError ?? ''}` });
      continue;
    }
    if (!node.ready) problems.push({ host: host.name, message: 'node is NotReady' });
    if (host.role === 'server') {
      const missing = SERVER_ROLES.filter((r) => !node.roles.includes(r));
      if (missing.length > 0) problems.push({ host: host.name, message: `server node lacks the role${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` });
      const member = view.members ? memberAt(view.members, host.address) : undefined;
      if (view.members && !member) problems.push({ host: host.name, message: 'not an etcd member' });
      else if (member?.isLearner) problems.push({ host: host.name, message: 'still an etcd learner' });
    }
  }
  return { nodes, problems };
}

export async function verifyCluster(server: Transport, hosts: Array<Pick<PlannedHost, 'name' | 'address' | 'role'>>): Promise<VerifyResult> {
  return checkClusterView(await readClusterView(server), hosts);
}
