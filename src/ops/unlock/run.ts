// What `fleet unlock` does when it runs, loaded only then (src/cli/commands/unlock.ts defines its options).
import { existsSync, unlinkSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { unlockCluster } from './unlock-cluster.js';
import { loadInventory } from '../../inventory/load.js';
import { ConnectionPool } from '../../ssh/pool.js';
import { describeOwner, lockHosts } from '../../state/cluster-lock.js';
import { lockIsStale, readLockOwner } from '../../state/lock.js';
import { statePaths } from '../../state/state-paths.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { sshOptions } from '../../cli/ssh-options.js';
import type { UnlockArgs } from '../../cli/commands/unlock.js';

export async function runUnlock(args: UnlockArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  const file = statePaths(inventory).lock;
  const owner = existsSync(file) ? readLockOwner(file) : undefined;
  if (owner && !lockIsStale(owner) && !args.force) {
    throw new InputError(`the lock belongs to a run that may still be going: pid ${owner.pid} on ${owner.host} (${owner.command})`, 'wait for it, or use --force if you are sure it is gone');
  }
  const ssh = await sshOptions({ ...args, connectTimeout: args.connectTimeout ?? 5 });
  const pool = new ConnectionPool(inventory.hosts, { ...ssh, connectRetries: 0 });
  try {
    const cluster = await unlockCluster(lockHosts(inventory), (name) => pool.get(name), args.force);
    if (existsSync(file)) {
      unlinkSync(file);
      deps.output.out(`removed ${file}\n`);
    } else deps.output.out(`no local lock: ${file} does not exist\n`);
    if (cluster.removed.length === 0) deps.output.out('no cluster lock on the servers that answered\n');
    for (const r of cluster.removed) deps.output.out(`removed the cluster lock on ${r.host}${r.owner ? `: ${describeOwner(r.owner)}` : ''}${r.stale ? ` (stale: ${r.stale})` : ''}\n`);
    if (cluster.unreachable.length > 0) deps.output.err(`warning: not reached, their lock (if any) is still there: ${cluster.unreachable.join(', ')}\n`);
  } finally {
    await pool.close();
  }
}
