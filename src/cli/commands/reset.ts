// `fleet reset <inventory>`: tear the whole cluster down, leaving no K3s on any host; then the
// local state and the kubeconfig entries fleet made, unless --keep-state.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface ResetArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  yes: boolean;
  keepState: boolean;
  dryRun: boolean;
}

export function resetCommand(deps: CommandDeps): CommandModule<object, ResetArgs> {
  return {
    command: 'reset <inventory>',
    describe: 'Tear the cluster down: uninstall K3s from every host (agents, then servers), then remove local state',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm without typing the cluster name (for scripts)' })
        .option('keep-state', { type: 'boolean', default: false, describe: 'Keep .fleet/<cluster>/ (token, kubeconfig, logs) and the kubeconfig entries' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan (connecting read-only for facts) and stop' })
        .example('$0 reset inventory.yaml', 'Asks you to type the cluster name, then removes K3s everywhere') as unknown as Argv<ResetArgs>,
    handler: async (args) => (await import('../../ops/reset/run.js')).runResetCommand(args, deps),
  };
}
