// What `fleet up` does when it runs, loaded only then (src/cli/commands/up.ts defines its options).
import { SafetyError } from '../../errors.js';
import { runUp } from './operation.js';
import { prepareRestoreFrom } from './restore-from.js';
import { commandSetup, printRunResult, withRunSession } from '../../cli/run-session.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { terminalConfirm } from '../../cli/confirm.js';
import { mergeOptionsOf } from '../../cli/kubeconfig-options.js';
import { checkUserKubeconfig } from '../../state/kubeconfig-merge.js';
import { prepareFleet } from '../prepare/run.js';
import type { UpArgs } from '../../cli/commands/up.js';

export async function runUpCommand(args: UpArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  // A ~/.kube/config that is not a kubeconfig is refused before anything changes, not after.
  const merge = mergeOptionsOf(args, deps.env);
  if (merge) checkUserKubeconfig(merge.file);
  // Its own session: hosts it reboots need new connections, which up's session then opens.
  if (args.prepare) {
    const prepared = await prepareFleet(inventory, { ...args, json: false, quiet: args.quiet || args.json }, deps);
    const failed = prepared.hosts.filter((h) => h.error);
    if (failed.length > 0)
      throw new SafetyError(`fleet prepare failed on ${failed.map((h) => h.name).join(', ')}: ${failed[0]!.error}; nothing was installed`, 'fix the host and run fleet up --prepare again');
  }
  const restoreFrom = args.restoreFrom !== undefined ? await prepareRestoreFrom(inventory, args.restoreFrom) : undefined;
  await withRunSession(inventory, args, deps, `up ${args.inventory}`, ssh, async (session) => {
    const { report, verify } = await runUp(
      inventory,
      { transportFor: session.transportFor, progress: session.progress, logger: session.logger, signal: deps.signal, confirm: terminalConfirm() },
      { concurrency: args.concurrency, merge, contextName: args.context, yes: args.yes, command: `up ${args.inventory}`, ...(restoreFrom ? { restoreFrom } : {}) },
    );
    printRunResult(args, deps, session, report, verify);
  });
}
