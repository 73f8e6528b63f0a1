// `fleet unlock <inventory>`: clear the run locks a dead run left behind: the local one
// (.fleet/<cluster>/lock) and the cluster's (/var/lib/rancher/k3s/fleet.lock on the servers).
// A live owner's lock is only removed with --force, since two runs at once could join two
// servers at once.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface UnlockArgs extends GlobalOptions, SshCliOptions {
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
    handler: async (args) => (await import('../../ops/unlock/run.js')).runUnlock(args, deps),
  };
}
