// `fleet up <inventory>`: plan with facts and carry the plan out. The command is thin: parse,
// lock, connect, call runUp, print; errors go to the one catch in main.ts.
import type { Argv, CommandModule } from 'yargs';
import { loadInventory } from '../../inventory/load.js';
import { runUp } from '../../exec/up.js';
import type { GlobalOptions } from '../global-options.js';
import { printRunResult, withRunSession } from '../run-session.js';
import { sshOptions, withSshOptions, type SshCliOptions } from '../ssh-options.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import { terminalConfirm } from '../confirm.js';

interface UpArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  merge: boolean;
  yes: boolean;
}

export function upCommand(deps: CommandDeps): CommandModule<object, UpArgs> {
  return {
    command: 'up <inventory>',
    describe: 'Bring the cluster to what the inventory says: install, join, verify (idempotent)',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('merge', { type: 'boolean', default: false, describe: 'Also add the kubeconfig to ~/.kube/config as a context named after the cluster' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm the removal of stale etcd members of re-imaged hosts without asking' })
        .example('$0 up inventory.yaml', 'Create or converge the cluster')
        .example('$0 up inventory.yaml --json > report.json', 'Machine-readable run report') as unknown as Argv<UpArgs>,
    handler: async (args) => runUpCommand(args, deps),
  };
}

export async function runUpCommand(args: UpArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (inventory.cluster.token !== undefined) deps.secrets.push(inventory.cluster.token);
  await withRunSession(inventory, args, deps, `up ${args.inventory}`, await sshOptions(args), async (session) => {
    const { report, verify } = await runUp(
      inventory,
      { transportFor: session.transportFor, progress: session.progress, logger: session.logger, signal: deps.signal, confirm: terminalConfirm() },
      { concurrency: args.concurrency, merge: args.merge, yes: args.yes, command: `up ${args.inventory}` },
    );
    printRunResult(args, deps, session, report, verify);
  });
}
