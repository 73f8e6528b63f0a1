// `fleet up <inventory>`: plan with facts and carry the plan out. The command is thin: parse,
// lock, connect, call runUp, print; errors go to the one catch in main.ts.
import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import { withKubeconfigOptions, type KubeconfigCliOptions } from '../kubeconfig-options.js';

export interface UpArgs extends GlobalOptions, SshCliOptions, KubeconfigCliOptions {
  inventory: string;
  yes: boolean;
  restoreFrom?: string;
  prepare: boolean;
}

export function upCommand(deps: CommandDeps): CommandModule<object, UpArgs> {
  return {
    command: 'up <inventory>',
    describe: 'Bring the cluster to what the inventory says: install, join, verify (idempotent)',
    builder: (yargs: Argv<object>) =>
      withKubeconfigOptions(withSshOptions(yargs))
        .positional('inventory', inventoryPositional)
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: "Confirm without asking: removal of stale etcd members of re-imaged hosts, and --prepare's reboots" })
        .option('restore-from', { type: 'string', describe: 'On hosts without K3s: bring the cluster up from this snapshot (name or file) instead of empty' })
        .option('prepare', { type: 'boolean', default: false, describe: 'Run fleet prepare first (memory cgroup on Raspberry Pis, reboots where it changed)' })
        .example('$0 up inventory.yaml', 'Create or converge the cluster')
        .example('$0 up inventory.yaml --json > report.json', 'Machine-readable run report') as unknown as Argv<UpArgs>,
    handler: async (args) => (await import('../../ops/up/run.js')).runUpCommand(args, deps),
  };
}
