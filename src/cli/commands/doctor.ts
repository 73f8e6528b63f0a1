// `fleet doctor <inventory>`: what will break the cluster, found before it does (hosts, identity,
// clocks, disks). Read-only; exit 0 all ok, 1 warnings only, 3 a failure.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface DoctorArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
}

/** A host that does not answer within this is reported as down; doctor checks the rest. */
export const DOCTOR_CONNECT_TIMEOUT_S = 5;

export function doctorCommand(deps: CommandDeps): CommandModule<object, DoctorArgs> {
  return {
    command: 'doctor <inventory>',
    describe: 'Check what would break the cluster (hosts, identity, clocks, disks): ok / warn / fail with the fix; exit 0, 1 or 3',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .example('$0 doctor inventory.yaml', 'One table of checks per host')
        .example('$0 doctor inventory.yaml --json', 'The same as one JSON object') as unknown as Argv<DoctorArgs>,
    handler: async (args) => (await import('../../ops/doctor/run.js')).runDoctorCommand(args, deps),
  };
}
