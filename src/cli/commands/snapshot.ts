// `fleet snapshot save | list | restore <inventory>`: etcd snapshots taken by K3s, kept on the
// controller with a record, and restored onto the cluster. Thin: parse, lock, connect, call the
// operation (src/operations/snapshot-*.ts), print.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { oneText } from '../options/choice.js';
import { runSnapshotList, renderSnapshotList } from '../../operations/snapshot-list.js';
import { renderRestorePlan, runSnapshotRestore } from '../../operations/snapshot-restore.js';
import { runSnapshotSave } from '../../operations/snapshot-save.js';
import type { CommandDeps } from '../command-deps.js';
import { confirmDestructive } from '../confirm-destructive.js';
import type { GlobalOptions } from '../global-options.js';
import { commandSetup, printRunResult, withRunSession } from '../run-session.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

interface SnapshotArgs extends GlobalOptions, SshCliOptions {
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
          handler: (args) => save(args as unknown as SnapshotArgs, deps),
        })
        .command({
          command: 'list <inventory>',
          describe: 'The snapshots on the controller and those K3s keeps on each server',
          builder: (y: Argv<object>) => withInventory(y),
          handler: (args) => list(args as unknown as SnapshotArgs, deps),
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
          handler: (args) => restore(args as unknown as SnapshotArgs, deps),
        })
        .demandCommand(1, 'name an action: save, list or restore') as unknown as Argv<SnapshotArgs>,
    handler: () => undefined,
  };
}

async function save(args: SnapshotArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  await withRunSession(inventory, args, deps, `snapshot save ${args.inventory}`, ssh, async (session) => {
    const result = await runSnapshotSave(
      inventory,
      { transportFor: session.transportFor, progress: session.progress, logger: session.logger, signal: deps.signal },
      { name: args.name, command: `snapshot save ${args.inventory}` },
    );
    if (args.json) {
      deps.output.out(`${JSON.stringify({ ...result.report, snapshot: result.record, file: result.file, log: session.logFile }, null, 2)}\n`);
      deps.setExitCode?.(result.report.exitCode);
      return;
    }
    if (result.record)
      deps.output.out(
        `Saved ${result.record.name} from ${result.record.server} (K3s ${result.record.k3sVersion}, ${result.record.size} bytes)\n  ${result.file}\n  ${result.file}.json (sha256 ${result.record.sha256})\nKeep the cluster token with it: a restore needs that token.\n`,
      );
    printRunResult({ ...args, quiet: true }, deps, session, result.report);
  });
}

async function list(args: SnapshotArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps, { connectTimeout: 10, connectRetries: 0 });
  await withRunSession(inventory, args, deps, `snapshot list ${args.inventory}`, ssh, async (session) => {
    const result = await runSnapshotList(inventory, { transportFor: session.transportFor, signal: deps.signal });
    deps.output.out(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderSnapshotList(result));
  });
}

async function restore(args: SnapshotArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  await withRunSession(inventory, args, deps, `snapshot restore ${args.inventory}`, ssh, async (session) => {
    const result = await runSnapshotRestore(
      inventory,
      { transportFor: session.transportFor, progress: session.progress, logger: session.logger, signal: deps.signal },
      {
        snapshot: args.snapshot!,
        dryRun: args.dryRun,
        show: (text) => (args.json ? undefined : deps.output.err(text)),
        confirm: (what) => confirmDestructive({ what, yes: args.yes, typeToConfirm: inventory.cluster.name }),
        command: `snapshot restore ${args.inventory}`,
      },
    );
    if (!result.report) {
      deps.output.out(args.json ? `${JSON.stringify({ plan: result.plan, snapshot: result.snapshot.record }, null, 2)}\n` : renderRestorePlan(inventory.cluster.name, result.snapshot, result.plan));
      return;
    }
    printRunResult(args, deps, session, result.report);
  });
}
