// add-node's quorum rule as a plan check: an add that leaves an even number of etcd voters raises
// the quorum without raising the tolerance, so it is refused unless --allow-even. Voters are
// counted as etcd counts them (dead members included), not from the inventory.
import { urlHost } from '../../facts/etcd-members.js';
import type { ClusterView } from '../../facts/cluster-view.js';
import { SafetyError } from '../../errors.js';
import { checkServerAdd } from '../../rules/add-quorum.js';
import type { PlannedHost, PlanWarning } from './types.js';

export interface AddNodeRule {
  /** The hosts being added. */
  adding: string[];
  allowEven: boolean;
}

export function checkAddNode(rule: AddNodeRule, joiningServers: string[], hosts: PlannedHost[], view: ClusterView | undefined, liveServers: number): PlanWarning[] {
  const added = joiningServers.filter((name) => rule.adding.includes(name));
  if (added.length === 0) return [];
  // A re-imaged host's old member is replaced, not added: it does not count as a current voter.
  const isAdded = (peerURLs: string[]) => rule.adding.some((name) => peerURLs.some((url) => urlHost(url) === hosts.find((h) => h.name === name)?.address));
  const voters = view?.members?.filter((m) => !m.isLearner && !isAdded(m.peerURLs)).length ?? liveServers;
  const check = checkServerAdd(voters, added.length);
  if (!check.even) return [];
  if (!rule.allowEven) {
    throw new SafetyError(
      `adding ${added.length} server${added.length === 1 ? '' : 's'} (${added.join(', ')}) leaves an even number of etcd members: ${check.arithmetic}; nothing was installed`,
      check.suggestion,
    );
  }
  return [{ code: 'add-node', message: `--allow-even: ${check.arithmetic}` }];
}
