// `fleet status <inventory>`: how each host and etcd are doing, read-only. Down hosts are shown,
// not fatal: exit 0 while quorum holds, 1 once it is lost (--strict: also when any host is unhealthy).
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface StatusArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  strict: boolean;
}

/** A host that does not answer within this is shown as down; status must never hang on one. */
export const STATUS_CONNECT_TIMEOUT_S = 5;

export function statusCommand(deps: CommandDeps): CommandModule<object, StatusArgs> {
  return {
    command: 'status <inventory>',
    describe: 'Show each host, the etcd members and their health, and how many failures quorum survives',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('strict', { type: 'boolean', default: false, describe: 'Exit 1 when any host is unhealthy, not only when quorum is lost' })
        .example('$0 status inventory.yaml', 'Hosts, etcd members, quorum')
        .example('$0 status inventory.yaml --json', 'The same as one JSON object') as unknown as Argv<StatusArgs>,
    handler: async (args) => (await import('../../ops/status/run.js')).runStatus(args, deps),
  };
}
