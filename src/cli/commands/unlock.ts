// `fleet unlock <inventory>`: clear the run locks a dead run left behind: the local one
// (.fleet/<cluster>/lock) and the cluster's (/var/lib/rancher/k3s/fleet.lock on the servers).
// A live owner's lock is only removed with --force, since two runs at once could join two
// servers at once.
import { existsSync, unlinkSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../errors.js';
import { unlockCluster } from '../../exec/unlock-cluster.js';
import { loadInventory } from '../../inventory/load.js';
import { ConnectionPool } from '../../ssh/pool.js';
import { describeOwner, lockHosts } from '../../state/cluster-lock.js';
import { lockIsStale, readLockOwner } from '../../state/lock.js';
import { statePaths } from '../../state/paths.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { sshOptions, withSshOptions, type SshCliOptions } from '../ssh-options.js';

interface UnlockArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  force: boolean;
}

export function unlockCommand(deps: CommandDeps): CommandModule<object, UnlockArgs> {
  return {
    command: 'unlock <inventory>',
    describe: 'Remove the run locks (here and on the servers) left by a fleet run that died',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('force', { type: 'boolean', default: false, describe: 'Remove the locks even if their owner still looks alive' }) as unknown as Argv<UnlockArgs>,
    handler: async (args) => runUnlock(args, deps),
  };
}

async function runUnlock(args: UnlockArgs, deps: CommandDeps): Promise<void> {
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
