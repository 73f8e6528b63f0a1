// Saving an inventory that fleet changed (add-node's new host): atomically, and only if nobody
// saved the file since fleet read it; otherwise the entry is handed to the user to add by hand.
import { atomicWriteFile, type FileSnapshot } from '../state/atomic-write.js';

/** Write the inventory with the new host, atomically, unless someone saved it since fleet read it. */
export function writeBackNewHost(file: string, text: string, read: FileSnapshot, name: string): string {
  try {
    atomicWriteFile(file, text, { mode: 0o644, unchangedSince: read });
    return `${name} was added to ${file}`;
  } catch (err) {
    // appendHost inserts whole lines: what the new text holds beyond the old is the entry.
    const start = commonPrefixLength(text, read.text ?? '');
    const entry = text.slice(start, start + text.length - (read.text ?? '').length).trim();
    return `${(err as Error).message}; add ${name} to its hosts: by hand: ${entry}`;
  }
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.lastIndexOf('\n', i - 1) + 1;
}
