// `fleet unlock`'s cluster side: read the lock on every server that answers, and clear it where
// its holder is gone (same machine: pid dead; another machine: older than the bound) or --force.
// A live holder on any host is refused before anything is removed.
import { InputError } from '../../errors.js';
import type { Transport } from '../../ssh/transport.js';
import { CLUSTER_LOCK_FILE, describeOwner, readClusterLock, removeLockOf, staleReason, type ClusterLockOwner } from '../../state/cluster-lock.js';

export interface ClusterLockFound {
  host: string;
  owner?: ClusterLockOwner;
  stale?: string;
}

export interface UnlockResult {
  removed: ClusterLockFound[];
  unreachable: string[];
}

export async function unlockCluster(hosts: string[], transportFor: (name: string) => Promise<Transport>, force: boolean): Promise<UnlockResult> {
  const found: Array<ClusterLockFound & { transport: Transport }> = [];
  const unreachable: string[] = [];
  await Promise.all(
    hosts.map(async (host) => {
      try {
        const transport = await transportFor(host);
        const lock = await readClusterLock(transport);
        if (!lock.present) return;
        found.push({ host, transport, ...(lock.owner ? { owner: lock.owner, stale: staleReason(lock.owner) } : {}) });
      } catch {
        unreachable.push(host);
      }
    }),
  );
  const live = found.filter((f) => !f.stale);
  if (live.length > 0 && !force) {
    const first = live[0]!;
    throw new InputError(
      first.owner
        ? `the cluster lock on ${live.map((f) => f.host).join(', ')} belongs to a run that may still be going: ${describeOwner(first.owner)}`
        : `${CLUSTER_LOCK_FILE} on ${first.host} does not name its holder`,
      'wait for that run, or use --force if you are sure it is gone (two runs at once could join two servers at once)',
    );
  }
  const removed: ClusterLockFound[] = [];
  for (const f of found) {
    const gone = f.owner ? await removeLockOf(f.transport, f.owner.runId) : (await f.transport.exec(`rm -f ${CLUSTER_LOCK_FILE}`, { sudo: true, timeoutMs: 20_000 })).exitCode === 0;
    if (gone) removed.push({ host: f.host, ...(f.owner ? { owner: f.owner } : {}), ...(f.stale ? { stale: f.stale } : {}) });
  }
  return { removed, unreachable: unreachable.sort() };
}
