// `fleet add-node` as an operation: join hosts to the cluster that runs now. Facts are gathered
// once; the cluster is whatever answers (members and agents), dead members are left out, and
// the quorum rule (an add that leaves an even number of etcd voters is refused unless allowed)
// is a check of the plan, not an override of the inventory.
import { InputError, SafetyError } from '../../errors.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { isExistingAgent, isExistingServer } from '../../rules/select-servers.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import type { UpDeps, UpOptions, UpResult } from '../up/context.js';
import { runPlannedOperation } from '../up/operation.js';

export interface AddNodeOptions extends UpOptions {
  /** Let an add leave an even number of servers (with a warning). */
  allowEven?: boolean;
}

/** The inventory narrowed to the live cluster and the hosts to add. */
export function clusterWithNewHosts(inventory: Inventory, adding: string[], live: Set<string>): Inventory {
  return { ...inventory, hosts: inventory.hosts.filter((h) => adding.includes(h.name) || live.has(h.name)) };
}

/** Refuses hosts that are unknown or already in the cluster, and a cluster with no running server. */
export function liveClusterFor(inventory: Inventory, adding: string[], facts: FleetFacts): Set<string> {
  const already = adding.filter((name) => isExistingServer(facts.get(name)) || (isExistingAgent(facts.get(name)) && facts.get(name)?.k3s.running));
  if (already.length > 0) throw new InputError(`already in the cluster: ${already.join(', ')}`, 'fleet add-node joins hosts that are not in the cluster yet; fleet up converges the ones that are');
  const live = new Set(
    inventory.hosts.filter((h) => !adding.includes(h.name) && facts.get(h.name)?.reachable && (isExistingServer(facts.get(h.name)) || isExistingAgent(facts.get(h.name)))).map((h) => h.name),
  );
  if (![...live].some((name) => isExistingServer(facts.get(name)) && facts.get(name)?.k3s.running)) {
    throw new SafetyError('no running server of the cluster answered: there is nothing to add nodes to', 'check fleet status; to build a new cluster use fleet up');
  }
  return live;
}

export function refuseUnknownHosts(inventory: Inventory, adding: string[]): void {
  const unknown = adding.filter((name) => !inventory.hosts.some((h) => h.name === name));
  if (unknown.length > 0) throw new InputError(`not in the inventory: ${unknown.join(', ')}`, 'add it with --name/--address/--role, or name a host the inventory lists');
}

export async function runAddNode(inventory: Inventory, adding: string[], deps: UpDeps, options: AddNodeOptions = {}): Promise<UpResult> {
  refuseUnknownHosts(inventory, adding);
  const concurrency = options.concurrency ?? inventory.cluster.concurrency;
  // Facts once, for every host; the disk probe only on the hosts being added.
  const facts = await gatherFleetFacts(inventory, deps, { concurrency, diskProbe: options.diskProbe, measureDisksOn: adding });
  const live = liveClusterFor(inventory, adding, facts);
  const narrowed = clusterWithNewHosts(inventory, adding, live);
  return runPlannedOperation({ inventory: narrowed, addNode: { adding, allowEven: options.allowEven === true }, facts }, deps, options);
}
