// Options every command shares, defined once and applied once, in main.ts: yargs options are
// global, so every command sees them. A command's builder must not apply them again (yargs would
// merge the aliases and `--help` would list `-q, -q, --quiet`).
import type { Argv } from 'yargs';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  logLevel?: LogLevel;
  concurrency?: number;
}

export function withGlobalOptions<T>(argv: Argv<T>): Argv<T & GlobalOptions> {
  return argv
    .option('json', { type: 'boolean', default: false, describe: 'Print one JSON object on stdout instead of text' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the essentials and errors' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Log what fleet does (to stderr)' })
    .option('log-level', { type: 'string', choices: LOG_LEVELS, describe: 'Log level on stderr (default warn; info with --verbose)' })
    .option('concurrency', { type: 'number', describe: 'Hosts worked on at once (overrides cluster.concurrency)' })
    .check((args) => {
      if (args['quiet'] && args['verbose']) throw new Error('--quiet and --verbose cannot be used together');
      const concurrency = args['concurrency'];
      if (concurrency !== undefined && !(Number.isInteger(concurrency) && (concurrency as number) >= 1 && (concurrency as number) <= 50)) {
        throw new Error('--concurrency must be a whole number from 1 to 50');
      }
      return true;
    }) as unknown as Argv<T & GlobalOptions>;
}

export function logLevelOf(options: GlobalOptions): LogLevel {
  if (options.logLevel) return options.logLevel;
  if (options.verbose) return 'debug';
  if (options.quiet) return 'error';
  return 'warn';
}
