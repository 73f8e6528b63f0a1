// What `fleet snapshot` does when it runs, loaded only then (src/cli/commands/snapshot.ts defines its options).
import { runSnapshotList, renderSnapshotList } from './list/operation.js';
import { renderRestorePlan, runSnapshotRestore } from './restore/operation.js';
import { runSnapshotSave } from './save/operation.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { confirmDestructive } from '../../cli/confirm-destructive.js';
import { commandSetup, printRunResult, withRunSession } from '../../cli/run-session.js';
import type { SnapshotArgs } from '../../cli/commands/snapshot.js';

export async function save(args: SnapshotArgs, deps: CommandDeps): Promise<void> {
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

export async function list(args: SnapshotArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps, { connectTimeout: 10, connectRetries: 0 });
  await withRunSession(inventory, args, deps, `snapshot list ${args.inventory}`, ssh, async (session) => {
    const result = await runSnapshotList(inventory, { transportFor: session.transportFor, signal: deps.signal });
    deps.output.out(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderSnapshotList(result));
  });
}

export async function restore(args: SnapshotArgs, deps: CommandDeps): Promise<void> {
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
