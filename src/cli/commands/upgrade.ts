// `fleet upgrade <inventory>`: rolling K3s upgrade to cluster.k3s.version — servers one at a time
// with quorum kept, then agents in batches. Thin: parse, session, runUpgrade, print.
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { maxUnavailable } from '../../plan/upgrade/max-unavailable.js';
import { runUpgrade } from '../../operations/upgrade.js';
import { renderUpgradePlan } from '../../plan/upgrade/render.js';
import type { CommandDeps } from '../command-deps.js';
import { confirmDestructive } from '../confirm-destructive.js';
import type { GlobalOptions } from '../global-options.js';
import { printRunResult, withRunSession } from '../run-session.js';
import { sshOptions, withSshOptions, type SshCliOptions } from '../ssh-options.js';

interface UpgradeArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  dryRun: boolean;
  yes: boolean;
  maxUnavailable?: string;
  drain: boolean;
  snapshot: boolean;
  allowDowngrade: boolean;
  drainTimeout: number;
}

export function upgradeCommand(deps: CommandDeps): CommandModule<object, UpgradeArgs> {
  return {
    command: 'upgrade <inventory>',
    describe: 'Rolling K3s upgrade to cluster.k3s.version: servers one at a time keeping quorum, then agents in batches',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', { type: 'string', demandOption: true, describe: 'Path of the inventory YAML' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Show the order, the batches and what each rule decided; change nothing' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Start without asking (needed without a terminal)' })
        .option('max-unavailable', { type: 'string', describe: 'Agents cordoned at once: N or N% of the agents (default 10%, at least 1, at most --concurrency)' })
        .option('drain', { type: 'boolean', default: true, describe: 'Cordon and drain each node before its upgrade (--no-drain skips both)' })
        .option('snapshot', { type: 'boolean', default: true, describe: 'Take an etcd snapshot before the first server (--no-snapshot skips it)' })
        .option('allow-downgrade', { type: 'boolean', default: false, describe: 'Allow a target older than what runs (K3s does not support downgrades)' })
        .option('drain-timeout', { type: 'number', default: 300, describe: 'Seconds each drain may take (kubectl drain --timeout)' })
        .example('$0 upgrade inventory.yaml --dry-run', 'Show what the upgrade would do')
        .example('$0 upgrade inventory.yaml --yes --max-unavailable 2', 'Upgrade, two agents at a time') as unknown as Argv<UpgradeArgs>,
    handler: async (args) => runUpgradeCommand(args, deps),
  };
}

export async function runUpgradeCommand(args: UpgradeArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (inventory.cluster.token !== undefined) deps.secrets.push(inventory.cluster.token);
  const concurrency = args.concurrency ?? inventory.cluster.concurrency;
  // Bad flags are refused before anything connects (the agent count is known only from facts).
  maxUnavailable(args.maxUnavailable, 1, concurrency);
  if (!(Number.isInteger(args.drainTimeout) && args.drainTimeout > 0)) throw new InputError(`--drain-timeout ${args.drainTimeout}: expected whole seconds above 0`, 'for example --drain-timeout 300');
  await withRunSession(inventory, args, deps, `upgrade ${args.inventory}`, await sshOptions(args), async (session) => {
    const { plan, report } = await runUpgrade(
      inventory,
      {
        transportFor: session.transportFor,
        progress: session.progress,
        signal: deps.signal,
        confirm: async (shown) => {
          if (!args.json && !args.quiet) deps.output.err(renderUpgradePlan(shown));
          await confirmDestructive({ what: `upgrading ${shown.servers.length + shown.agentBatches.flat().length} host(s) of cluster ${shown.cluster} to ${shown.target} (each restarts)`, yes: args.yes });
        },
      },
      {
        dryRun: args.dryRun,
        command: `upgrade ${args.inventory}`,
        concurrency,
        maxUnavailable: args.maxUnavailable,
        drain: args.drain,
        snapshot: args.snapshot,
        allowDowngrade: args.allowDowngrade,
        drainTimeoutSeconds: args.drainTimeout,
      },
    );
    if (!report) {
      session.progress.stop();
      deps.output.out(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderUpgradePlan(plan));
      return;
    }
    printRunResult(args, deps, session, report);
  });
}
