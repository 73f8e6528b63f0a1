// The cluster lock as a run session uses it: taken once, on first use of a host; given back when
// the session ends, or by main.ts's forced-exit cleanups on a second Ctrl-C.
import type { Inventory } from '../inventory/types.js';
import type { Transport } from '../ssh/transport.js';
import { lockHosts, newLockOwner } from '../state/cluster-lock.js';
import { ClusterLockHold, type LockLog } from '../state/cluster-lock-hold.js';
import { onForcedExit } from '../state/forced-exit.js';
import { readLeftoverRuns, recordLeftoverRun } from '../state/cluster-lock-leftovers.js';
import { statePaths } from '../state/state-paths.js';

export interface LazyClusterLock {
  /** Takes the lock the first time; later calls wait for that. Rejects (exit 2) when another run holds it. */
  take(): Promise<void>;
  release(): Promise<void>;
}

export function lazyClusterLock(inventory: Pick<Inventory, 'hosts' | 'dir' | 'cluster'>, command: string, connect: (name: string) => Promise<Transport>, log: LockLog): LazyClusterLock {
  let taking: Promise<ClusterLockHold> | undefined;
  let forget: (() => void) | undefined;
  const release = async () => {
    const hold = await taking?.catch(() => undefined);
    await hold?.release();
    forget?.();
  };
  return {
    take: async () => {
      if (!taking) {
        const stateDir = statePaths(inventory).dir;
        const memory = { leftovers: readLeftoverRuns(stateDir), remember: (runId: string) => recordLeftoverRun(stateDir, runId) };
        taking = ClusterLockHold.acquire(lockHosts(inventory), connect, newLockOwner(command), log, memory);
        forget = onForcedExit(release);
      }
      await taking;
    },
    release,
  };
}
