// `fleet help [command]`: main.ts turns `fleet help plan` into `fleet plan --help` before parsing;
// this entry lists it among the commands, and `fleet help` alone shows fleet's help.
import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../global-options.js';

export function helpCommand(showHelp: () => void): CommandModule<object, GlobalOptions & { command?: string }> {
  return {
    command: 'help [command]',
    describe: 'Show the help of fleet or of one command (same as fleet <command> --help)',
    builder: (yargs: Argv<object>) => yargs.positional('command', { type: 'string', describe: 'A command' }) as unknown as Argv<GlobalOptions & { command?: string }>,
    handler: async () => showHelp(),
  };
}
