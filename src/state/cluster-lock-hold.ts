// Taking the cluster lock for one run across the servers, and giving it back. Hosts are locked
// one after the other in inventory order, so two controllers racing meet at the same first host
// and exactly one goes on; a host that cannot be reached (or locked) is skipped and logged, since
// the run itself will report it. Any host held by another run: what was taken is given back and
// the run is refused (exit 2) naming the holder.
import type { Transport } from '../ssh/transport.js';
import { ClusterLockHeldError, removeLockOf, staleReason, tryLock, type ClusterLockOwner } from './cluster-lock.js';

export interface LockLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class ClusterLockHold {
  private released = false;
  private constructor(
    readonly owner: ClusterLockOwner,
    readonly hosts: string[],
    private readonly transportFor: (name: string) => Promise<Transport>,
  ) {}

  static async acquire(hosts: string[], transportFor: (name: string) => Promise<Transport>, owner: ClusterLockOwner, log?: LockLog): Promise<ClusterLockHold> {
    // Connect to every host at once; lock them in order.
    const connections = hosts.map((name) =>
      transportFor(name).then(
        (transport) => ({ transport }),
        (err: Error) => ({ err }),
      ),
    );
    const hold = new ClusterLockHold(owner, [], transportFor);
    for (const [i, name] of hosts.entries()) {
      const connection = await connections[i]!;
      if ('err' in connection) {
        log?.warn({ host: name, error: connection.err.message }, 'cluster lock: host unreachable, not locked');
        continue;
      }
      const outcome = await tryLock(connection.transport, owner).catch((err: Error) => ({ host: name, result: 'skipped' as const, why: err.message }));
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
    await Promise.all(this.hosts.map(async (name) => removeLockOf(await this.transportFor(name), this.owner.runId).catch(() => false)));
  }
}
