// `fleet add-node <inventory> --host NAME … | --name N --address A --role R`: join hosts to the
// running cluster. A new host is validated with the loader's own rules before anything connects,
// and written into the inventory file (comments and layout kept) once it has joined.
import type { Argv, CommandModule } from 'yargs';
import type { HostKind, Role } from '../../inventory/types.js';
import { inventoryPositional } from '../options/inventory-path.js';
import { choice, nonEmptyList, oneText } from '../options/choice.js';
import { usageError } from '../options/usage-error.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

const ROLES = ['server', 'agent', 'auto'] as const;
const KINDS = ['pi', 'x86'] as const;

export interface AddNodeArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  host?: string[];
  name?: string;
  address?: string;
  role?: Role;
  user?: string;
  kind?: HostKind;
  allowEven: boolean;
  yes: boolean;
}

export function addNodeCommand(deps: CommandDeps): CommandModule<object, AddNodeArgs> {
  return {
    command: 'add-node <inventory>',
    describe: 'Join hosts to the running cluster (hosts of the inventory, or a new one written into it)',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('host', {
          type: 'string',
          array: true,
          coerce: nonEmptyList('--host', 'a host name of the inventory'),
          describe: 'A host of the inventory that is not in the cluster yet (repeatable)',
        })
        .option('name', { type: 'string', coerce: oneText('--name', "the new host's name"), describe: 'A new host: its name (also needs --address and --role)' })
        .option('address', { type: 'string', coerce: oneText('--address', "the new host's address"), describe: "The new host's address" })
        .option('role', { type: 'string', choices: ROLES, coerce: choice('--role', ROLES), describe: "The new host's role" })
        .option('user', { type: 'string', coerce: oneText('--user', 'an SSH user name'), describe: "The new host's SSH user (default: the inventory's)" })
        .option('kind', { type: 'string', choices: KINDS, coerce: choice('--kind', KINDS), describe: "The new host's kind" })
        .option('allow-even', { type: 'boolean', default: false, describe: 'Allow an add that leaves an even number of servers (no gain in tolerance)' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm the removal of stale etcd members of re-imaged hosts without asking' })
        .check((args) => {
          const fresh = args['name'] !== undefined || args['address'] !== undefined || args['role'] !== undefined;
          if (fresh && (args['name'] === undefined || args['address'] === undefined || args['role'] === undefined))
            throw usageError('a new host needs --name, --address and --role', 'e.g. --name pi6 --address 10.0.0.16 --role agent');
          if (!fresh && (args['host'] === undefined || (args['host'] as string[]).length === 0))
            throw usageError('name hosts to add with --host, or a new one with --name/--address/--role', 'e.g. fleet add-node inventory.yaml --host pi4');
          return true;
        })
        .example('$0 add-node inventory.yaml --host pi4 --host pi5', 'Join two inventory hosts (3 → 5 servers)')
        .example('$0 add-node inventory.yaml --name pi6 --address 10.0.0.16 --role agent --kind pi', 'Join a new agent and write it into the inventory') as unknown as Argv<AddNodeArgs>,
    handler: async (args) => (await import('../../ops/add-node/run.js')).runAddNodeCommand(args, deps),
  };
}
