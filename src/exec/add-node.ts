// `fleet add-node`: join hosts to a cluster that runs. The cluster is whatever the facts say runs
// now (members and agents that answer); dead members are left out, so a lost first server does
// not matter. The join itself is `fleet up` on that cluster plus the new hosts, with one more
// gate: an add that leaves an even number of etcd voters is refused unless allowed.
import { urlHost } from '../cluster/etcd-members.js';
import { InputError, SafetyError } from '../errors.js';
import type { Inventory } from '../inventory/types.js';
import { checkServerAdd } from '../plan/add-quorum.js';
import { isExistingAgent, isExistingServer } from '../plan/select-servers.js';
import { gatherFleetFacts } from './gather-fleet-facts.js';
import { runUp, type UpDeps, type UpOptions, type UpResult } from './up.js';

export interface AddNodeOptions extends UpOptions {
  /** Let an add leave an even number of servers (with a warning). */
  allowEven?: boolean;
}

/** The inventory narrowed to the live cluster and the hosts to add. */
export function clusterWithNewHosts(inventory: Inventory, adding: string[], live: Set<string>): Inventory {
  const hosts = inventory.hosts.filter((h) => adding.includes(h.name) || live.has(h.name));
  // The etcd voter count, not the inventory's server count, decides even/odd (checked below).
  return { ...inventory, cluster: { ...inventory.cluster, allowEvenServers: true }, hosts };
}

export async function runAddNode(inventory: Inventory, adding: string[], deps: UpDeps, options: AddNodeOptions = {}): Promise<UpResult> {
  const unknown = adding.filter((name) => !inventory.hosts.some((h) => h.name === name));
  if (unknown.length > 0) throw new InputError(`not in the inventory: ${unknown.join(', ')}`, 'add it with --name/--address/--role, or name a host the inventory lists');

  const facts = await gatherFleetFacts(inventory, { transportFor: deps.transportFor, signal: deps.signal }, { concurrency: 20, measureDisks: false });
  const already = adding.filter((name) => isExistingServer(facts.get(name)) || (isExistingAgent(facts.get(name)) && facts.get(name)?.k3s.running));
  if (already.length > 0) throw new InputError(`already in the cluster: ${already.join(', ')}`, 'fleet add-node joins hosts that are not in the cluster yet; fleet up converges the ones that are');
  const live = new Set(
    inventory.hosts
      .filter((h) => !adding.includes(h.name) && facts.get(h.name)?.reachable && (isExistingServer(facts.get(h.name)) || isExistingAgent(facts.get(h.name))))
      .map((h) => h.name),
  );
  const liveServers = [...live].filter((name) => isExistingServer(facts.get(name)) && facts.get(name)?.k3s.running);
  if (liveServers.length === 0) {
    throw new SafetyError('no running server of the cluster answered: there is nothing to add nodes to', 'check fleet status; to build a new cluster use fleet up');
  }

  return runUp(clusterWithNewHosts(inventory, adding, live), deps, {
    ...options,
    checkPlan: (plan, _facts, target) => {
      const addedServers = plan.joiningServers.filter((name) => adding.includes(name));
      if (addedServers.length === 0) return [];
      // Voters as etcd counts them (dead members included: they still count for quorum).
      const voters = target?.view.members?.filter((m) => !m.isLearner && !adding.some((name) => memberIsHost(m.peerURLs, inventory, name))).length ?? liveServers.length;
      const check = checkServerAdd(voters, addedServers.length);
      if (!check.even) return [];
      if (!options.allowEven) {
        throw new SafetyError(
          `adding ${addedServers.length} server${addedServers.length === 1 ? '' : 's'} (${addedServers.join(', ')}) leaves an even number of etcd members: ${check.arithmetic}; nothing was installed`,
          check.suggestion,
        );
      }
      return [`--allow-even: ${check.arithmetic}`];
    },
  });
}

/** A re-imaged host's old member is replaced, not added: it does not count as a current voter. */
function memberIsHost(peerURLs: string[], inventory: Inventory, name: string): boolean {
  const address = inventory.hosts.find((h) => h.name === name)?.address;
  return address !== undefined && peerURLs.some((url) => urlHost(url) === address);
}
