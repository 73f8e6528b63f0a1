// `fleet prepare <inventory> [--yes] [--json]`: make Raspberry Pis ready for K3s (the memory
// cgroup in cmdline.txt, then a reboot where it changed). Shows what it will do and asks first;
// `--yes` for scripts; refused without a terminal and without --yes. `fleet up --prepare` runs it
// before up.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface PrepareArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  yes: boolean;
}

export function prepareCommand(deps: CommandDeps): CommandModule<object, PrepareArgs> {
  return {
    command: 'prepare <inventory>',
    describe: 'Make Raspberry Pis ready for K3s: enable the memory cgroup in cmdline.txt and reboot where it changed',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Reboot without asking (needed without a terminal)' })
        .example('$0 prepare inventory.yaml', 'Show what would change, ask, then fix and reboot') as unknown as Argv<PrepareArgs>,
    handler: async (args) => (await import('../../ops/prepare/run.js')).runPrepareCommand(args, deps),
  };
}
