// `fleet upgrade <inventory>`: rolling K3s upgrade to cluster.k3s.version — servers one at a time
// with quorum kept, then agents in batches. Thin: parse, session, runUpgrade, print.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { durationSeconds } from '../options/numbers.js';
import { usageError } from '../options/usage-error.js';
import { singleValue } from '../options/single-value.js';
import { maxUnavailable } from '../../rules/max-unavailable.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface UpgradeArgs extends GlobalOptions, SshCliOptions {
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
    handler: async (args) => (await import('../../ops/upgrade/run.js')).runUpgradeCommand(args, deps),
  };
}
