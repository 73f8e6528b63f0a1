// `fleet remove-node <inventory> --host NAME`: take one host out of the running cluster safely
// (quorum arithmetic shown and enforced, K3s's safe order) and out of the inventory file.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { oneText } from '../options/choice.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface RemoveNodeArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  host: string;
  allowEven: boolean;
  keepInInventory: boolean;
  yes: boolean;
  dryRun: boolean;
}

export function removeNodeCommand(deps: CommandDeps): CommandModule<object, RemoveNodeArgs> {
  return {
    command: 'remove-node <inventory>',
    describe: 'Take a host out of the running cluster (cordon, drain, stop, delete node and etcd member, uninstall) and out of the inventory',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('host', { type: 'string', demandOption: true, coerce: oneText('--host', 'the inventory host to remove'), describe: 'The inventory host to remove' })
        .option('allow-even', { type: 'boolean', default: false, describe: 'Allow a removal that leaves an even number of servers (3 → 2 leaves no fault tolerance)' })
        .option('keep-in-inventory', { type: 'boolean', default: false, describe: "Leave the host's entry in the inventory file" })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm without asking (for scripts)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan (connecting read-only for facts) and stop' })
        .example('$0 remove-node inventory.yaml --host pi5', 'Remove a server or an agent, asking first')
        .example('$0 remove-node inventory.yaml --host pi3 --allow-even --yes', 'Go from 3 servers to 2 (no fault tolerance left)') as unknown as Argv<RemoveNodeArgs>,
    handler: async (args) => (await import('../../ops/remove-node/run.js')).runRemoveNodeCommand(args, deps),
  };
}
