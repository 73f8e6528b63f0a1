// `fleet unlock <inventory>`: clear the run lock a dead run left behind. A live owner's lock
// is only removed with --force, since two runs at once could join two servers at once.
import { existsSync, unlinkSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { lockIsStale, readLockOwner } from '../../state/lock.js';
import { statePaths } from '../../state/paths.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';

interface UnlockArgs extends GlobalOptions {
  inventory: string;
  force: boolean;
}

export function unlockCommand(deps: CommandDeps): CommandModule<object, UnlockArgs> {
  return {
    command: 'unlock <inventory>',
    describe: 'Remove a stale run lock left by a fleet run that died',
    builder: (yargs: Argv<object>) =>
      yargs
        .positional('inventory', inventoryPositional)
        .option('force', { type: 'boolean', default: false, describe: 'Remove the lock even if its owner still looks alive' }) as unknown as Argv<UnlockArgs>,
    handler: async (args) => {
      const inventory = loadInventory(args.inventory, { env: deps.env });
      const file = statePaths(inventory).lock;
      if (!existsSync(file)) {
        deps.output.out(args.json ? `${JSON.stringify({ lock: file, removed: false })}\n` : `no lock: ${file} does not exist\n`);
        return;
      }
      const owner = readLockOwner(file);
      if (owner && !lockIsStale(owner) && !args.force) {
        throw new InputError(`the lock belongs to a run that may still be going: pid ${owner.pid} on ${owner.host} (${owner.command})`, 'wait for it, or use --force if you are sure it is gone');
      }
      unlinkSync(file);
      deps.output.out(args.json ? `${JSON.stringify({ lock: file, removed: true })}\n` : `removed ${file}\n`);
    },
  };
}
