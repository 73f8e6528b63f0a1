// Options every command shares, defined once and applied once, in main.ts: yargs options are
// global, so every command sees them. A command's builder must not apply them again (yargs would
// merge the aliases and `--help` would list `-q, -q, --quiet`).
import type { Argv } from 'yargs';
import { DEFAULTS } from '../inventory/resolve.js';
import { choice } from './options/choice.js';
import { wholeNumber } from './options/numbers.js';
import { usageError } from './options/usage-error.js';

/** The range of --concurrency (the same as cluster.concurrency's). */
export const CONCURRENCY = { min: 1, max: 50 };

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
    .option('log-level', { type: 'string', choices: LOG_LEVELS, coerce: choice('--log-level', LOG_LEVELS), describe: 'Log level on stderr (default warn; debug with --verbose, error with --quiet)' })
    .option('concurrency', {
      type: 'string',
      coerce: wholeNumber('--concurrency', CONCURRENCY),
      describe: `Hosts worked on at once, ${CONCURRENCY.min}-${CONCURRENCY.max} (default: cluster.concurrency, else ${DEFAULTS.concurrency})`,
    })
    .check((args) => {
      if (args['quiet'] && args['verbose']) throw usageError('--quiet and --verbose cannot be used together', 'choose one of them');
      return true;
    }) as unknown as Argv<T & GlobalOptions>;
}

export function logLevelOf(options: GlobalOptions): LogLevel {
  if (options.logLevel) return options.logLevel;
  if (options.verbose) return 'debug';
  if (options.quiet) return 'error';
  return 'warn';
}
