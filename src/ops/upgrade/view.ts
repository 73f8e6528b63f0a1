// The upgrade's view of the live cluster, read once before planning: nodes and etcd members from a
// healthy server, and each member's own health. Without a healthy member there is no upgrade.
import { healthyMemberIds } from '../../facts/member-health.js';
import { readClusterView } from '../../facts/cluster-view.js';
import { SafetyError } from '../../errors.js';
import { findHealthyMember, serverCandidates } from '../../facts/live-server.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import type { UpgradeClusterView } from './plan.js';
import type { Transport } from '../../ssh/transport.js';

const NO_QUORUM_HINT = 'check fleet status: bring the servers back until etcd has quorum, then re-run fleet upgrade';

export async function readUpgradeView(inventory: Inventory, facts: FleetFacts, transportFor: (name: string) => Promise<Transport>): Promise<UpgradeClusterView> {
  const servers = inventory.hosts.map((h) => h.name).filter((name) => facts.get(name)?.k3s.role === 'server');
  const etcdServers = serverCandidates(servers, facts);
  if (etcdServers.length === 0) {
    // A single server on SQLite: no etcd to keep healthy, only its node list.
    const sqlite = servers.find((name) => facts.get(name)?.reachable && facts.get(name)?.k3s.running && facts.get(name)?.k3s.sqliteData);
    if (!sqlite) throw new SafetyError('no running K3s server with a datastore answered: nothing to upgrade', NO_QUORUM_HINT);
    const view = await readClusterView(await transportFor(sqlite));
    if (!view.nodes) throw new SafetyError(`${sqlite}: the Kubernetes API does not answer (${view.nodesError ?? 'no node list'})`, NO_QUORUM_HINT, sqlite);
    return { from: sqlite, nodes: view.nodes };
  }
  const member = await findHealthyMember(etcdServers, transportFor);
  if (!member) {
    throw new SafetyError(`etcd is not healthy on any running server (${etcdServers.join(', ')}): the cluster has no quorum; nothing was changed`, NO_QUORUM_HINT);
  }
  if (!member.view.nodes) throw new SafetyError(`${member.name}: the Kubernetes API does not answer (${member.view.nodesError ?? 'no node list'})`, NO_QUORUM_HINT, member.name);
  const healthyIds = await healthyMemberIds(await transportFor(member.name), member.view.members!);
  return { from: member.name, nodes: member.view.nodes, etcd: { etcdHealthy: member.view.etcdHealthy, members: member.view.members!, healthyIds } };
}
