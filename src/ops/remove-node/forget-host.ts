// The last step of remove-node: the host leaves the inventory file, comments and layout kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { removeHost } from '../../inventory/write-back.js';

export async function forgetHostInInventory(file: string, host: string): Promise<{ changed: string }> {
  writeFileSync(file, removeHost(readFileSync(file, 'utf8'), host));
  return { changed: `removed from ${file}` };
}
