// The tokens fleet keeps on this machine for a cluster, found by fingerprint: the current copy
// (.fleet/<cluster>/token), a pending one, cluster.tokenFile, and every token.<date>.previous
// that a rotation left beside them. Older snapshots need the token of their time.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tokenFingerprint } from '../facts/k3s-config.js';
import type { Inventory } from '../inventory/types.js';
import { statePaths } from '../state/state-paths.js';
import { pendingTokenFile, readStoredToken } from './store.js';

function previousFilesBeside(file: string): string[] {
  try {
    return readdirSync(dirname(file))
      .filter((name) => name.startsWith(`${basename(file)}.`) && name.endsWith('.previous'))
      .sort()
      .reverse()
      .map((name) => join(dirname(file), name));
  } catch {
    return [];
  }
}

/** Every file fleet keeps a token in, newest first within each place. */
export function keptTokenFiles(inventory: Inventory): string[] {
  const stored = statePaths(inventory).token;
  const files = [stored, pendingTokenFile(stored), ...previousFilesBeside(stored)];
  if (inventory.cluster.tokenFile) files.push(inventory.cluster.tokenFile, ...previousFilesBeside(inventory.cluster.tokenFile));
  return [...new Set(files)];
}

/** The kept file whose token has this fingerprint, and the token; undefined when fleet keeps none. */
export function findKeptToken(inventory: Inventory, fingerprint: string): { file: string; token: string } | undefined {
  for (const file of keptTokenFiles(inventory)) {
    const token = readStoredToken(file);
    if (token !== undefined && tokenFingerprint(token) === fingerprint) return { file, token };
  }
  return undefined;
}
