// `fleet up <inventory>`: plan with facts and carry the plan out. The command is thin: parse,
// lock, connect, call runUp, print; errors go to the one catch in main.ts.
import type { Argv, CommandModule } from 'yargs';
import { runUp } from '../../exec/up.js';
import { prepareRestoreFrom } from '../../exec/restore-from.js';
import type { GlobalOptions } from '../global-options.js';
import { commandSetup, printRunResult, withRunSession } from '../run-session.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';
import type { CommandDeps } from '../command-deps.js';
import { terminalConfirm } from '../confirm.js';
import { mergeOptionsOf, withKubeconfigOptions, type KubeconfigCliOptions } from '../kubeconfig-options.js';
import { checkUserKubeconfig } from '../../steps/kubeconfig-merge.js';

interface UpArgs extends GlobalOptions, SshCliOptions, KubeconfigCliOptions {
  inventory: string;
  yes: boolean;
  restoreFrom?: string;
}

export function upCommand(deps: CommandDeps): CommandModule<object, UpArgs> {
  return {
    command: 'up <inventory>',
    describe: 'Bring the cluster to what the inventory says: install, join, verify (idempotent)',
    builder: (yargs: Argv<object>) =>
      withKubeconfigOptions(withSshOptions(yargs))
        .positional('inventory', { type: 'string', demandOption: true, describe: 'Path of the inventory YAML' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm the removal of stale etcd members of re-imaged hosts without asking' })
        .option('restore-from', { type: 'string', describe: 'On hosts without K3s: bring the cluster up from this snapshot (name or file) instead of empty' })
        .example('$0 up inventory.yaml', 'Create or converge the cluster')
        .example('$0 up inventory.yaml --json > report.json', 'Machine-readable run report') as unknown as Argv<UpArgs>,
    handler: async (args) => runUpCommand(args, deps),
  };
}

export async function runUpCommand(args: UpArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  // A ~/.kube/config that is not a kubeconfig is refused before anything changes, not after.
  const merge = mergeOptionsOf(args, deps.env);
  if (merge) checkUserKubeconfig(merge.file);
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
