// A command line fleet cannot use: exit 2 (an InputError), raised while the arguments are parsed,
// so no inventory is read, no lock taken and nothing connected.
import { InputError } from '../../errors.js';

export class UsageError extends InputError {}

// yargs hands a coerce function's error to .fail() as a new error with the same message; the
// hint would be lost. The errors thrown while parsing are kept here so main.ts can find them.
const thrown = new Map<string, UsageError>();

/** Throw this from a yargs coerce/check function. */
export function usageError(message: string, hint?: string): UsageError {
  const error = new UsageError(message, hint);
  thrown.set(message, error);
  return error;
}

/** The UsageError thrown while parsing with this message, if any. */
export function thrownUsageError(message: string | undefined): UsageError | undefined {
  return message === undefined ? undefined : thrown.get(message);
}
