// Taking the cluster lock for one run across the servers, and giving it back. Hosts are locked
// one after the other in inventory order, so two controllers racing meet at the same first host
// and exactly one goes on; a host that cannot be reached (or locked) is skipped and logged, since
// the run itself will report it. Any host held by another run: what was taken is given back and
// the run is refused (exit 2) naming the holder.
import type { Transport } from '../ssh/transport.js';
import { ClusterLockHeldError, removeLockOf, staleReason, tryLock, type ClusterLockOwner, type LockOutcome } from './cluster-lock.js';

export interface LockLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LockMemory {
  /** Run ids of this controller's ended runs whose lock stayed on a host that was down. */
  leftovers: string[];
  /** Called when this run ends with its lock still on some host. */
  remember(runId: string): void;
}

export class ClusterLockHold {
  private released = false;
  private constructor(
    readonly owner: ClusterLockOwner,
    readonly hosts: string[],
    private readonly transportFor: (name: string) => Promise<Transport>,
    private readonly memory?: LockMemory,
  ) {}

  static async acquire(hosts: string[], transportFor: (name: string) => Promise<Transport>, owner: ClusterLockOwner, log?: LockLog, memory?: LockMemory): Promise<ClusterLockHold> {
    // Connect to every host at once; lock them in order.
    const connections = hosts.map((name) =>
      transportFor(name).then(
        (transport) => ({ transport }),
        (err: Error) => ({ err }),
      ),
    );
    const hold = new ClusterLockHold(owner, [], transportFor, memory);
    for (const [i, name] of hosts.entries()) {
      const connection = await connections[i]!;
      if ('err' in connection) {
        log?.warn({ host: name, error: connection.err.message }, 'cluster lock: host unreachable, not locked');
        continue;
      }
      const outcome = await lockOrTakeOver(connection.transport, owner, memory?.leftovers ?? [], log).catch((err: Error) => ({ host: name, result: 'skipped' as const, why: err.message }));
      if (outcome.result === 'acquired') hold.hosts.push(name);
      else if (outcome.result === 'skipped') log?.warn({ host: name, error: outcome.why }, 'cluster lock: could not lock this host');
      else {
        await hold.release();
        throw new ClusterLockHeldError(name, outcome.owner, outcome.owner ? staleReason(outcome.owner) : undefined);
      }
    }
    log?.info({ hosts: hold.hosts, runId: owner.runId }, 'cluster lock taken');
    return hold;
  }

  /** Give the lock back on every host that holds it; never throws (a host may be gone by now). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    // A host that cannot be reached keeps the lock on its disk; one whose lock is gone (an
    // uninstall removed /var/lib/rancher/k3s) or not ours has nothing left of this run.
    const reached = await Promise.all(
      this.hosts.map(async (name) =>
        removeLockOf(await this.transportFor(name), this.owner.runId).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (reached.includes(false)) this.memory?.remember(this.owner.runId);
  }
}

/** tryLock, except that a lock left by one of this controller's ended runs is taken over. */
async function lockOrTakeOver(transport: Transport, owner: ClusterLockOwner, leftovers: string[], log?: LockLog): Promise<LockOutcome> {
  const outcome = await tryLock(transport, owner);
  if (outcome.result !== 'held' || !outcome.owner || !leftovers.includes(outcome.owner.runId)) return outcome;
  log?.info({ host: transport.host, runId: outcome.owner.runId }, 'cluster lock: taking over the lock an ended run of this controller left');
  await removeLockOf(transport, outcome.owner.runId);
  return tryLock(transport, owner);
}
