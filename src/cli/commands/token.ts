// `fleet token rotate <inventory>`: the cluster token replaced in place (k3s token rotate, then
// every server one at a time and the agents in batches). Thin: options, then the lazily loaded run.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { oneText } from '../options/choice.js';
import { singleValue } from '../options/single-value.js';
import { usageError } from '../options/usage-error.js';
import { maxUnavailable } from '../../rules/max-unavailable.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface TokenRotateArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  dryRun: boolean;
  yes: boolean;
  newTokenFile?: string;
  maxUnavailable?: string;
}

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

export function tokenCommand(deps: CommandDeps): CommandModule<object, TokenRotateArgs> {
  return {
    command: 'token <action>',
    describe: 'Replace the cluster token in place (a leaked token) without rebuilding the cluster',
    builder: (yargs: Argv<object>) =>
      yargs
        .command({
          command: 'rotate <inventory>',
          describe: 'k3s token rotate, then every server one at a time and the agents in batches get the new token',
          builder: (y: Argv<object>) =>
            withSshOptions(y)
              .positional('inventory', inventoryPositional)
              .option('new-token-file', { type: 'string', coerce: oneText('--new-token-file', 'a file path'), describe: 'File holding the new token (default: FLEET_NEW_TOKEN, else 32 random bytes)' })
              .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan and stop' })
              .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Start without asking (needed without a terminal)' })
              .option('max-unavailable', { type: 'string', coerce: maxUnavailableOption, describe: 'Agents restarted at once: N or N% of the agents (default 10%, at least 1)' })
              .example('$0 token rotate inventory.yaml --dry-run', 'Show what the rotation would do')
              .example('$0 token rotate inventory.yaml --yes --new-token-file new-token', 'Rotate to the token in new-token'),
          handler: async (args) => (await import('../../ops/token-rotate/run.js')).runTokenRotateCommand(args as unknown as TokenRotateArgs, deps),
        })
        .demandCommand(1, 'name an action: rotate') as unknown as Argv<TokenRotateArgs>,
    handler: () => undefined,
  };
}
