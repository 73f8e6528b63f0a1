// Turns yargs' raw argument complaints into fleet's words: an option of another command, a
// `--dry-run` where there is none, a misspelt option or command, a missing inventory.
import { closest } from '../../inventory/did-you-mean.js';
import type { CommandOptions } from './command-options.js';
import { UsageError } from './usage-error.js';

export interface ParseContext {
  argv: readonly string[];
  commands: readonly CommandOptions[];
  global: CommandOptions;
}

const camelToKebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Words of argv before a `--` terminator. */
function wordsBeforeTerminator(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return [...(end === -1 ? argv : argv.slice(0, end))];
}

/** The command named on the command line (the first word that is a command). */
export function commandOf(context: ParseContext): CommandOptions | undefined {
  const names = new Set(context.commands.map((command) => command.name));
  const first = wordsBeforeTerminator(context.argv).find((word) => !word.startsWith('-'));
  return first !== undefined && names.has(first) ? context.commands.find((command) => command.name === first) : undefined;
}

function knownFlags(command: CommandOptions): Set<string> {
  const flags = new Set<string>(['help', 'h', 'version']);
  for (const name of command.options) {
    flags.add(name);
    if (command.booleans.includes(name)) flags.add(`no-${name}`);
    for (const alias of command.aliases[name] ?? []) flags.add(alias);
  }
  return flags;
}

/** Option names written on the command line (`--foo=1` → foo, `-abc` → a, b, c). */
function flagsWritten(argv: readonly string[]): string[] {
  const flags: string[] = [];
  for (const word of wordsBeforeTerminator(argv)) {
    if (/^--[^-]/.test(word)) flags.push(camelToKebab(word.slice(2).split('=')[0]!));
    else if (/^-[A-Za-z]/.test(word)) flags.push(...word.slice(1).split('=')[0]!.split(''));
  }
  return flags;
}

const dash = (flag: string) => (flag.length === 1 ? `-${flag}` : `--${flag}`);
const commandText = (command: CommandOptions | undefined) => (command && command.name ? `fleet ${command.name}` : 'fleet');

/** The message for one option the command does not have. */
function unknownOptionError(flag: string, command: CommandOptions | undefined, context: ParseContext): UsageError {
  const where = commandText(command);
  const mine = command ?? context.global;
  if (flag === 'dry-run') {
    return new UsageError(`${where} has no --dry-run`, 'fleet plan <inventory> --dry-run shows what fleet would do, connecting to nothing');
  }
  const owners = context.commands.filter((other) => other !== command && other.options.includes(flag)).map((other) => `fleet ${other.name}`);
  if (owners.length > 0) return new UsageError(`--${flag} is an option of ${owners.join(', ')}, not of ${where}`, `see ${where} --help for its options`);
  const near = closest(flag, mine.options);
  return new UsageError(`${where} has no option ${dash(flag)}`, near ? `did you mean --${near}?` : `see ${where} --help for its options`);
}

function unknownCommandError(word: string, context: ParseContext): UsageError {
  const names = context.commands.map((command) => command.name);
  const near = closest(word, names);
  return new UsageError(`fleet has no command ${JSON.stringify(word)}`, `${near ? `did you mean fleet ${near}? ` : ''}commands: ${names.join(', ')}`);
}

/** A yargs complaint (its English message) → a UsageError in fleet's words. */
export function describeParseProblem(message: string, context: ParseContext): UsageError {
  const command = commandOf(context);
  const where = commandText(command);
  const words = wordsBeforeTerminator(context.argv);
  const firstWord = words.find((word) => !word.startsWith('-'));
  if (!command && firstWord !== undefined && !/^Not enough/.test(message)) return unknownCommandError(firstWord, context);
  if (/^Unknown arguments?:/.test(message) || /^Did you mean/.test(message)) {
    const known = knownFlags(command ?? context.global);
    const unknown = flagsWritten(context.argv).filter((flag) => !known.has(flag));
    if (unknown.length > 0) return unknownOptionError(unknown[0]!, command, context);
    const extra = message.replace(/^Unknown arguments?: /, '').split(', ')[0]!;
    return new UsageError(
      `${where} got an unexpected argument ${JSON.stringify(extra)}`,
      `${where} takes ${command?.positionals.map((p) => `<${p}>`).join(' ') || 'no arguments'}; options start with --`,
    );
  }
  if (/^Not enough non-option arguments/.test(message) || /^Missing required argument/.test(message)) {
    // An option the command does not have takes the next word as its value (`fleet up --dry-run
    // inventory.yaml`), so the inventory looks missing: name the option, which is the real mistake.
    const unknown = command ? flagsWritten(context.argv).filter((flag) => !knownFlags(command).has(flag)) : [];
    if (unknown.length > 0) return unknownOptionError(unknown[0]!, command, context);
    if (!command) return new UsageError('name a command', `commands: ${context.commands.map((c) => c.name).join(', ')} (fleet --help)`);
    const wanted = command.positionals.map((p) => `<${p}>`).join(' ');
    return new UsageError(`${where} needs ${wanted || 'more arguments'}`, `${where} ${wanted} [options]`);
  }
  const choices = /Argument: ([\w-]+), Given: "(.*)", Choices: (.*)$/m.exec(message);
  if (choices) return new UsageError(`--${choices[1]} ${JSON.stringify(choices[2])} is not one of ${choices[3]!.replace(/"/g, '')}`, `see ${where} --help`);
  return new UsageError(message.replace(/\s+/g, ' ').trim(), `see ${where} --help`);
}
