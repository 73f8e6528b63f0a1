// `fleet snapshot save | list | restore <inventory>`: etcd snapshots taken by K3s, kept on the
// controller with a record, and restored onto the cluster. Thin: parse, lock, connect, call the
// operation (src/operations/snapshot-*.ts), print.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { oneText } from '../options/choice.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface SnapshotArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  name?: string;
  snapshot?: string;
  yes: boolean;
  dryRun: boolean;
}

const withInventory = (yargs: Argv<object>) => withSshOptions(yargs).positional('inventory', inventoryPositional);

export function snapshotCommand(deps: CommandDeps): CommandModule<object, SnapshotArgs> {
  return {
    command: 'snapshot <action>',
    describe: 'Save, list and restore etcd snapshots of the cluster',
    builder: (yargs: Argv<object>) =>
      yargs
        .command({
          command: 'save <inventory>',
          describe: 'Take an etcd snapshot on a healthy server and copy it to .fleet/<cluster>/snapshots/',
          builder: (y: Argv<object>) =>
            withInventory(y).option('name', {
              type: 'string',
              coerce: oneText('--name', 'a snapshot name'),
              describe: 'Base name of the snapshot (default on-demand); K3s appends -<node>-<unix time>',
            }),
          handler: async (args) => (await import('../../ops/snapshot/run.js')).save(args as unknown as SnapshotArgs, deps),
        })
        .command({
          command: 'list <inventory>',
          describe: 'The snapshots on the controller and those K3s keeps on each server',
          builder: (y: Argv<object>) => withInventory(y),
          handler: async (args) => (await import('../../ops/snapshot/run.js')).list(args as unknown as SnapshotArgs, deps),
        })
        .command({
          command: 'restore <inventory> <snapshot>',
          describe: 'Restore the cluster from a snapshot (stops every K3s; asks for the cluster name first)',
          builder: (y: Argv<object>) =>
            withInventory(y)
              .positional('snapshot', { type: 'string', demandOption: true, describe: 'A snapshot name from fleet snapshot list, or the path of a snapshot file with its .json record' })
              .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm without asking (scripts)' })
              .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan and stop (connects read-only for facts)' })
              .example('$0 snapshot restore inventory.yaml on-demand-pi1-1764590000', 'Restore after typing the cluster name'),
          handler: async (args) => (await import('../../ops/snapshot/run.js')).restore(args as unknown as SnapshotArgs, deps),
        })
        .demandCommand(1, 'name an action: save, list or restore') as unknown as Argv<SnapshotArgs>,
    handler: () => undefined,
  };
}
