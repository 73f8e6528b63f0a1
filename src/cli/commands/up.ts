// `fleet up <inventory>`: plan with facts and carry the plan out. The command is thin: parse,
// lock, connect, call runUp, print; errors go to the one catch in main.ts.
import type { Argv, CommandModule } from 'yargs';
import { SafetyError } from '../../errors.js';
import { runUp } from '../../operations/up/run-up.js';
import { prepareRestoreFrom } from '../../exec/restore-from.js';
import type { GlobalOptions } from '../global-options.js';
import { commandSetup, printRunResult, withRunSession } from '../run-session.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import { terminalConfirm } from '../confirm.js';
import { mergeOptionsOf, withKubeconfigOptions, type KubeconfigCliOptions } from '../kubeconfig-options.js';
import { checkUserKubeconfig } from '../../steps/kubeconfig-merge.js';
import { prepareFleet } from './prepare.js';

interface UpArgs extends GlobalOptions, SshCliOptions, KubeconfigCliOptions {
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
    handler: async (args) => runUpCommand(args, deps),
  };
}

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
