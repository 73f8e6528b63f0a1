// Gather what `fleet status` shows: facts from every host (read-only, short timeouts, down hosts
// are data, not errors), the cluster view from the first server that can list the etcd members,
// and each member's own /health asked from that server.
import type { OperationDeps } from '../operation-deps.js';
import { healthyMemberIds } from '../../facts/member-health.js';
import { findLiveServer, serverCandidates } from '../../facts/live-server.js';
import { readClusterView, type ClusterView } from '../../facts/cluster-view.js';
import { assembleStatus, type CertificateInput, type ClusterStatus } from './cluster-status.js';
import type { Inventory } from '../../inventory/types.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';

export type StatusDeps = Pick<OperationDeps, 'transportFor' | 'signal'>;

export async function gatherStatus(inventory: Inventory, deps: StatusDeps, certificates?: CertificateInput): Promise<ClusterStatus> {
  const facts = await gatherFleetFacts(inventory, { transportFor: deps.transportFor, signal: deps.signal }, { concurrency: 20, measureDisks: false });

  // The live, healthy server up and add-node would use; without one (quorum lost), any running
  // server can still describe what it sees: prefer one whose etcd lists its members.
  const names = inventory.hosts.map((h) => h.name);
  const read = new Map<string, ClusterView>();
  const live = await findLiveServer(names, facts, deps.transportFor, { timeoutMs: 25_000, seen: (v) => void read.set(v.from, v) });
  let view: ClusterView | undefined = live?.view.nodes ? live.view : undefined;
  for (const name of view ? [] : serverCandidates(names, facts, { etcdOnly: false })) {
    // A view the search already read (an unhealthy etcd) is judged as is, not read again.
    const candidate = read.get(name) ?? (await readClusterView(await deps.transportFor(name), 25_000).catch(() => undefined));
    if (!candidate) continue;
    if (!view || (candidate.members && !view.members) || (candidate.nodes && !view.nodes && candidate.members)) view = candidate;
    if (candidate.members && candidate.nodes) break;
  }
  let healthyIds = new Set<string>();
  if (view?.members) healthyIds = await healthyMemberIds(await deps.transportFor(view.from), view.members).catch(() => new Set<string>());
  return assembleStatus({ cluster: inventory.cluster.name, hosts: inventory.hosts, facts, view, healthyIds, ...(certificates ? { certificates } : {}) });
}
