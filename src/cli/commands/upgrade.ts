// `fleet upgrade <inventory>`: rolling K3s upgrade to cluster.k3s.version — servers one at a time
// with quorum kept, then agents in batches. Thin: parse, session, runUpgrade, print.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { durationSeconds } from '../options/numbers.js';
import { usageError } from '../options/usage-error.js';
import { singleValue } from '../options/single-value.js';
import { maxUnavailable } from '../../plan/upgrade/max-unavailable.js';
import { runUpgrade } from '../../operations/upgrade.js';
import { renderUpgradePlan } from '../../plan/upgrade/render.js';
import type { CommandDeps } from '../command-deps.js';
import { confirmDestructive } from '../confirm-destructive.js';
import type { GlobalOptions } from '../global-options.js';
import { commandSetup, printRunResult, withRunSession } from '../run-session.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

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

/** Bounds of --drain-timeout, in seconds: kubectl's own timeout for one drain. */
export const DRAIN_TIMEOUT = { min: 1, max: 3600 };

/** --max-unavailable N or N%: its form is checked while parsing; the count needs the facts. */
function maxUnavailableOption(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const text = singleValue('--max-unavailable', raw, 'a whole number of agents or a percentage of them', '2');
  try {
    maxUnavailable(text, 1, Number.MAX_SAFE_INTEGER);
  } catch (err) {
    throw usageError((err as Error).message, (err as { hint?: string }).hint);
  }
  return text;
}

export function upgradeCommand(deps: CommandDeps): CommandModule<object, UpgradeArgs> {
  return {
    command: 'upgrade <inventory>',
    describe: 'Rolling K3s upgrade to cluster.k3s.version: servers one at a time keeping quorum, then agents in batches',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('dry-run', { type: 'boolean', default: false, describe: 'Show the order, the batches and what each rule decided; change nothing' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Start without asking (needed without a terminal)' })
        .option('max-unavailable', { type: 'string', coerce: maxUnavailableOption, describe: 'Agents cordoned at once: N or N% of the agents (default 10%, at least 1, at most --concurrency)' })
        .option('drain', { type: 'boolean', default: true, describe: 'Cordon and drain each node before its upgrade (--no-drain skips both)' })
        .option('snapshot', { type: 'boolean', default: true, describe: 'Take an etcd snapshot before the first server (--no-snapshot skips it)' })
        .option('allow-downgrade', { type: 'boolean', default: false, describe: 'Allow a target older than what runs (K3s does not support downgrades)' })
        .option('drain-timeout', {
          type: 'string',
          default: 300,
          coerce: durationSeconds('--drain-timeout', DRAIN_TIMEOUT),
          describe: `Seconds each drain may take (kubectl drain --timeout), ${DRAIN_TIMEOUT.min}-${DRAIN_TIMEOUT.max}`,
        })
        .example('$0 upgrade inventory.yaml --dry-run', 'Show what the upgrade would do')
        .example('$0 upgrade inventory.yaml --yes --max-unavailable 2', 'Upgrade, two agents at a time') as unknown as Argv<UpgradeArgs>,
    handler: async (args) => runUpgradeCommand(args, deps),
  };
}

export async function runUpgradeCommand(args: UpgradeArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  const concurrency = args.concurrency ?? inventory.cluster.concurrency;
  // Bad flags are refused before anything connects (the agent count is known only from facts).
  maxUnavailable(args.maxUnavailable, 1, concurrency);
  await withRunSession(inventory, args, deps, `upgrade ${args.inventory}`, ssh, async (session) => {
    const { plan, report } = await runUpgrade(
      inventory,
      {
        transportFor: session.transportFor,
        progress: session.progress,
        signal: deps.signal,
        confirm: async (shown) => {
          if (!args.json && !args.quiet) deps.output.err(renderUpgradePlan(shown));
          await confirmDestructive({
            what: `upgrading ${shown.servers.length + shown.agentBatches.flat().length} host(s) of cluster ${shown.cluster} to ${shown.target} (each restarts)`,
            yes: args.yes,
          });
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
