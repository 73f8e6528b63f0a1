// `fleet plan <inventory> [--dry-run]`: load and validate the inventory, gather facts unless
// --dry-run, print the plan. Changes nothing anywhere.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export type { CommandDeps };

export interface PlanArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  dryRun: boolean;
}

export function planCommand(deps: CommandDeps): CommandModule<object, PlanArgs> {
  return {
    command: 'plan <inventory>',
    describe: "Show what fleet would do: roles, quorum, each host's config.yaml and steps",
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('dry-run', { type: 'boolean', default: false, describe: 'Plan from the inventory alone; connect to nothing' })
        .example('$0 plan --dry-run inventory.yaml', 'Plan without connecting')
        .example('$0 plan inventory.yaml --json', 'Gather facts over SSH and print the plan as JSON') as unknown as Argv<PlanArgs>,
    handler: async (args) => (await import('../../ops/plan/run.js')).runPlan(args, deps),
  };
}
