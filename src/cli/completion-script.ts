// Shell completion scripts for bash and zsh, written from the registered commands' own option
// lists (command-options.ts), so a new command completes without extra work.
import type { CommandOptions } from './options/command-options.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

const flagsOf = (command: CommandOptions) =>
  [
    ...new Set([
      ...command.options.map((name) => `--${name}`),
      ...Object.values(command.aliases)
        .flat()
        .map((alias) => (alias.length === 1 ? `-${alias}` : `--${alias}`)),
      '--help',
    ]),
  ]
    .sort()
    .join(' ');

const quote = (words: readonly string[]) => words.join(' ');

/** Words for a command's positional: command names for `help [command]`, else its choices. */
function positionalWords(command: CommandOptions, names: readonly string[]): string[] {
  if (command.positionals.includes('command')) return [...names];
  return command.positionals.flatMap((name) => [...(command.choices[name] ?? [])]);
}

function valueCases(command: CommandOptions, indent: string): string {
  return Object.entries(command.choices)
    .map(([name, values]) => `${indent}--${name}) values="${quote(values)}" ;;`)
    .join('\n');
}

function bashScript(commands: readonly CommandOptions[]): string {
  const names = commands.map((command) => command.name);
  const cases = commands
    .map(
      (command) =>
        `    ${command.name})\n      flags="${flagsOf(command)}"\n      words="${quote(positionalWords(command, names))}"\n      case "$prev" in\n${valueCases(command, '        ')}\n      esac ;;`,
    )
    .join('\n');
  return `# bash completion for fleet. Install: fleet completion bash > ~/.local/share/bash-completion/completions/fleet
# (or add  source <(fleet completion bash)  to ~/.bashrc)
_fleet_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" command="" flags="" values="" words="" word
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) ;; *) command="$word"; break ;; esac
  done
  if [ -z "$command" ]; then
    COMPREPLY=( $(compgen -W "${quote(names)} --help --version" -- "$cur") )
    return 0
  fi
  case "$command" in
${cases}
  esac
  if [ -n "$values" ]; then
    COMPREPLY=( $(compgen -W "$values" -- "$cur") )
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  elif [ -n "$words" ]; then
    COMPREPLY=( $(compgen -W "$words" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
  return 0
}
complete -o filenames -o bashdefault -F _fleet_complete fleet
`;
}

function zshScript(commands: readonly CommandOptions[]): string {
  const names = commands.map((command) => command.name);
  const cases = commands
    .map(
      (command) =>
        `    ${command.name})\n      flags=(${flagsOf(command)})\n      words=(${quote(positionalWords(command, names))})\n      case $prev in\n${valueCases(command, '        ').replace(/values="([^"]*)"/g, 'values=($1)')}\n      esac ;;`,
    )
    .join('\n');
  return `#compdef fleet
# zsh completion for fleet. Install: fleet completion zsh > "\${fpath[1]}/_fleet" (then restart zsh),
# or add  source <(fleet completion zsh)  to ~/.zshrc after compinit.
_fleet() {
  local command="" prev="\${words[CURRENT-1]}" word
  local -a flags values words
  for word in "\${(@)words[2,CURRENT-1]}"; do
    case $word in -*) ;; *) command=$word; break ;; esac
  done
  if [[ -z $command ]]; then
    compadd -- ${quote(names)} --help --version
    return
  fi
  case $command in
${cases}
  esac
  if (( \${#values} )); then
    compadd -- $values
  elif [[ $PREFIX == -* ]]; then
    compadd -- $flags
  elif (( \${#words} )); then
    compadd -- $words
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == "_fleet" ]]; then
  _fleet "$@"
else
  compdef _fleet fleet
fi
`;
}

export function completionScript(shell: Shell, commands: readonly CommandOptions[]): string {
  return shell === 'zsh' ? zshScript(commands) : bashScript(commands);
}
