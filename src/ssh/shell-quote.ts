// Quoting for POSIX sh. Values travel inside scripts streamed on stdin, so quoting must survive
// every byte a secret can contain; single quotes do, except for NUL which sh cannot hold at all.
import { InputError } from '../errors.js';

const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One sh word that expands to exactly `value`: 'abc' with each ' written as '\''. */
export function quoteShellWord(value: string): string {
  if (value.includes('\0')) throw new InputError('a value passed to a remote shell contains a NUL byte, which sh cannot represent');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` lines, one per variable, for the top of a script read by `sh -s`. */
export function envExportLines(env: Record<string, string>): string {
  let lines = '';
  for (const [name, value] of Object.entries(env)) {
    if (!envNamePattern.test(name)) {
      throw new InputError(`invalid environment variable name ${JSON.stringify(name)}`, 'names are letters, digits and _ and do not start with a digit');
    }
    lines += `export ${name}=${quoteShellWord(value)}\n`;
  }
  return lines;
}
