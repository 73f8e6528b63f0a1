// The inventory positional: checked while the command line is parsed (regular file, size bound),
// so a FIFO, a directory or /dev/zero is refused before any command starts. The loader reads it
// again with the same bound.
import { resolve } from 'node:path';
import type { PositionalOptions } from 'yargs';
import { checkInventoryFile } from '../../inventory/inventory-file.js';
import { InputError } from '../../errors.js';
import { usageError } from './usage-error.js';

export function inventoryPath(raw: unknown): string {
  if (Array.isArray(raw)) throw usageError(`one inventory at a time: got ${raw.length} (${raw.join(', ')})`, 'run fleet once per inventory');
  const path = String(raw ?? '');
  // yargs hands a lone `-` over as ''.
  if (path === '' || path === '-') throw usageError('no inventory path: reading the inventory from standard input (-) is not supported', 'save it to a file and pass its path');
  if (path.startsWith('-')) throw usageError(`${path} is not an option fleet knows, nor an inventory path`, 'see fleet <command> --help');
  try {
    checkInventoryFile(resolve(path));
  } catch (error) {
    if (error instanceof InputError) throw usageError(error.message, error.hint);
    throw error;
  }
  return path;
}

/** `.positional('inventory', inventoryPositional)` in every command that reads an inventory. */
export const inventoryPositional: PositionalOptions = {
  type: 'string',
  demandOption: true,
  describe: 'Path of the inventory YAML',
  coerce: inventoryPath,
};
