// `fleet exec <inventory> -- <command>`: an ad-hoc command on hosts through the same bounded
// queue and connections as `up`; output grouped per host; exit 1 if any host failed.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { choice, nonEmptyList } from '../options/choice.js';
import { durationSeconds } from '../options/numbers.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

const EXEC_ROLES = ['server', 'agent'] as const;
/** The range of --timeout, in seconds (a day at most). */
export const EXEC_TIMEOUT = { min: 1, max: 86_400 };

export interface ExecArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  role?: 'server' | 'agent';
  host?: string[];
  sudo: boolean;
  timeout?: number;
  '--'?: Array<string | number>;
  command?: Array<string | number>;
}

export function execCommand(deps: CommandDeps): CommandModule<object, ExecArgs> {
  return {
    command: 'exec <inventory> [command..]',
    describe: 'Run a command on hosts of the inventory, output grouped per host',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .parserConfiguration({ 'populate--': true })
        .positional('inventory', inventoryPositional)
        .option('role', {
          type: 'string',
          choices: EXEC_ROLES,
          coerce: choice('--role', EXEC_ROLES),
          describe: 'Only servers or agents: the inventory role, or for role: auto hosts the K3s installed on them',
        })
        .option('host', { type: 'string', array: true, coerce: nonEmptyList('--host', 'a host name of the inventory'), describe: 'Only this host (repeatable)' })
        .option('sudo', { type: 'boolean', default: false, describe: 'Run as root (sudo -n for non-root users)' })
        .option('timeout', {
          type: 'string',
          coerce: durationSeconds('--timeout', EXEC_TIMEOUT),
          describe: `Seconds before a host's command is killed, ${EXEC_TIMEOUT.min}-${EXEC_TIMEOUT.max} (default: no limit; e.g. 30, 30s, 5m)`,
        })
        .example('$0 exec inventory.yaml -- uptime', 'Uptime of every host')
        .example('$0 exec inventory.yaml --role server --sudo -- systemctl is-active k3s', 'Service state on servers') as unknown as Argv<ExecArgs>,
    handler: async (args) => (await import('../../ops/exec/run.js')).runExec(args, deps),
  };
}
