// What each registered command accepts, read from its own yargs builder (so a new command in
// main.ts is known here without extra work): option names, aliases, defaults, positionals. Used
// by the did-you-mean of unknown options, `fleet completion` and the docs test.
import yargs, { type Argv, type CommandModule } from 'yargs';
import { withGlobalOptions } from '../global-options.js';

export interface CommandOptions {
  /** `plan`, `add-node`; '' for fleet itself (global options only). */
  name: string;
  describe: string;
  positionals: string[];
  /** Long option names, kebab-case, without dashes (global ones included). */
  options: string[];
  /** Short and other aliases, per long name. */
  aliases: Record<string, string[]>;
  defaults: Record<string, unknown>;
  choices: Record<string, readonly string[]>;
  booleans: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandModule<any, any>;

const BUILT_IN = ['help', 'version'];

interface YargsOptions {
  key: Record<string, boolean>;
  alias: Record<string, string[]>;
  default: Record<string, unknown>;
  choices: Record<string, string[]>;
  boolean: string[];
}

export function commandName(module: AnyCommand): string {
  const spec = Array.isArray(module.command) ? module.command[0] : module.command;
  return String(spec ?? '').split(' ')[0]!;
}

function positionalsOf(module: AnyCommand): string[] {
  const spec = Array.isArray(module.command) ? module.command[0] : module.command;
  return [...String(spec ?? '').matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((match) => match[1]!);
}

function describeOptions(name: string, describe: string, positionals: string[], built: Argv<unknown>): CommandOptions {
  // getOptions() is public in yargs but missing from @types/yargs.
  const options = (built as unknown as { getOptions(): YargsOptions }).getOptions();
  const aliasTargets = new Set(Object.values(options.alias).flat());
  const names = Object.keys(options.key).filter((key) => !positionals.includes(key) && !aliasTargets.has(key));
  return {
    name,
    describe,
    positionals,
    options: names,
    aliases: Object.fromEntries(names.map((key) => [key, options.alias[key] ?? []])),
    defaults: Object.fromEntries(Object.entries(options.default).filter(([key]) => names.includes(key))),
    choices: Object.fromEntries(Object.entries(options.choices).filter(([key]) => names.includes(key))) as Record<string, readonly string[]>,
    booleans: options.boolean.filter((key) => names.includes(key) && !BUILT_IN.includes(key)),
  };
}

/** The options of one command, as its builder declares them on top of the global ones. */
export function optionsOfCommand(module: AnyCommand): CommandOptions {
  const base = withGlobalOptions(yargs([]).help().version('0')) as Argv<unknown>;
  const builder = module.builder;
  let built: Argv<unknown> = base;
  if (typeof builder === 'function') built = (builder(base as never) as Argv<unknown> | undefined) ?? base;
  else if (builder) built = base.options(builder as never);
  return describeOptions(commandName(module), String(module.describe ?? ''), positionalsOf(module), built);
}

/** The global options alone (for `fleet --foo` with no command). */
export function globalOptions(): CommandOptions {
  return describeOptions('', '', [], withGlobalOptions(yargs([]).help().version('0')) as Argv<unknown>);
}

/** Every registered command's options, in registration order. */
export function optionsOfCommands(modules: readonly AnyCommand[]): CommandOptions[] {
  return modules.map(optionsOfCommand);
}
