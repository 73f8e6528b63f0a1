// `fleet completion [bash|zsh]`: print a shell completion script (default: the shell in $SHELL).
import { basename } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { CommandDeps } from '../command-deps.js';
import { completionScript, SHELLS, type Shell } from '../completion-script.js';
import type { GlobalOptions } from '../global-options.js';
import type { CommandOptions } from '../options/command-options.js';
import { choice } from '../options/choice.js';

interface CompletionArgs extends GlobalOptions {
  shell?: Shell;
}

export function completionCommand(deps: CommandDeps, commands: () => CommandOptions[]): CommandModule<object, CompletionArgs> {
  return {
    command: 'completion [shell]',
    describe: 'Print a shell completion script for bash or zsh',
    builder: (yargs: Argv<object>) =>
      yargs
        .positional('shell', { type: 'string', choices: SHELLS, coerce: choice('shell', SHELLS), describe: 'bash or zsh (default: from $SHELL, else bash)' })
        .example('$0 completion bash > ~/.local/share/bash-completion/completions/fleet', 'Install for bash')
        .example('$0 completion zsh > "${fpath[1]}/_fleet"', 'Install for zsh') as unknown as Argv<CompletionArgs>,
    handler: async (args) => {
      const fromEnv = basename(deps.env['SHELL'] ?? '');
      const shell: Shell = args.shell ?? (fromEnv === 'zsh' ? 'zsh' : 'bash');
      const script = completionScript(shell, commands());
      deps.output.out(args.json ? `${JSON.stringify({ shell, script })}\n` : script);
    },
  };
}
