// Reading the inventory: a regular file only, read with a size bound. A FIFO, a terminal,
// /dev/zero or a directory is refused by what it is, before any read could block or never end.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { InputError } from '../errors.js';

/** Inventories are hand-written lists of machines; anything bigger is a mistake or an attack. */
export const MAX_INVENTORY_BYTES = 1024 * 1024;

const FIX = 'pass the path of your inventory.yaml (a regular file)';

/** What a non-regular file is, in words. */
function kindOf(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a pipe (FIFO), not a regular file';
  if (stats.isCharacterDevice()) return 'a character device (like /dev/zero or a terminal), not a regular file';
  if (stats.isBlockDevice()) return 'a block device, not a regular file';
  if (stats.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

function refuseUnlessRegular(file: string, stats: Stats): void {
  const kind = kindOf(stats);
  if (kind !== undefined) throw new InputError(`cannot read inventory ${file}: it is ${kind}`, FIX);
  if (stats.size > MAX_INVENTORY_BYTES) {
    throw new InputError(`cannot read inventory ${file}: it is ${stats.size} bytes; an inventory may be at most ${MAX_INVENTORY_BYTES} bytes`, 'is this the right file?');
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    ENOTDIR: 'a part of the path is not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the path is too long',
    ENXIO: 'it is a socket or device without a reader',
  };
  return reasons[code ?? ''] ?? code ?? 'unreadable';
}

function wrapped<T>(file: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read inventory ${file}: ${reasonOf(error)}`, FIX, { cause: error });
  }
}

/** Refuses, without reading, anything that is not a regular file of a sane size. */
export function checkInventoryFile(file: string): void {
  wrapped(file, () => refuseUnlessRegular(file, statSync(file)));
}

/** The inventory's text: stat, open without blocking, check again on the open file, bounded read. */
export function readInventoryFile(file: string): string {
  return wrapped(file, () => {
    refuseUnlessRegular(file, statSync(file));
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      refuseUnlessRegular(file, fstatSync(fd));
      const buffer = Buffer.alloc(MAX_INVENTORY_BYTES + 1);
      let length = 0;
      for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
      if (length > MAX_INVENTORY_BYTES) throw new InputError(`cannot read inventory ${file}: it grew beyond ${MAX_INVENTORY_BYTES} bytes while read`, 'is this the right file?');
      return buffer.subarray(0, length).toString('utf8');
    } finally {
      closeSync(fd);
    }
  });
}
