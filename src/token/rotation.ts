// The two tokens of a rotation and fleet's own copy. The new token: the pending copy of a run that
// was killed (it is the token K3s may hold already), else --new-token-file, else FLEET_NEW_TOKEN,
// else 32 random bytes. The old one: the inventory's, else .fleet/<cluster>/token, else a
// server's token file. Neither is ever printed: callers see fingerprints and sources.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { tokenFingerprint } from '../facts/k3s-config.js';
import type { Environment } from '../inventory/expand-env.js';
import type { Inventory } from '../inventory/types.js';
import type { Transport } from '../ssh/transport.js';
import { atomicWriteFile } from '../state/atomic-write.js';
import { statePaths } from '../state/state-paths.js';
import { freePreviousFile, generateToken, pendingTokenFile, previousTokenFile, readStoredToken, replaceStoredToken } from './store.js';

export const NEW_TOKEN_ENV = 'FLEET_NEW_TOKEN';

export interface GivenToken {
  token: string;
  source: string;
}

export type LocalCopy =
  | { kind: 'stored'; file: string; previous: string }
  | { kind: 'token-file'; file: string; previous: string; stored: string; storedPrevious: string }
  | { kind: 'inventory'; where: string; stored: string; storedPrevious: string };

export interface RotationTokens {
  oldToken?: string;
  oldSource: string;
  newToken: string;
  newSource: string;
  /** The user chose the new token (file or environment), so they hold a copy of it. */
  newGiven: boolean;
  local: LocalCopy;
}

/** --new-token-file: one line, a regular file of at most 4 KiB. */
function readNewTokenFile(path: string): string {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > 4096) throw new InputError(`--new-token-file ${path} is not a regular file of at most 4096 bytes`, 'point it at a small file holding the new token (mode 0600)');
    const token = readFileSync(path, 'utf8').trim();
    if (token.length === 0) throw new InputError(`--new-token-file ${path} is empty`, 'write the new token into it (one line)');
    return token;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read --new-token-file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, 'check the path and its permissions');
  }
}

/** The new token the user gave: --new-token-file, else FLEET_NEW_TOKEN; read before anything connects. */
export function givenNewToken(file: string | undefined, env: Environment): GivenToken | undefined {
  if (file !== undefined) return { token: readNewTokenFile(file), source: `--new-token-file ${file}` };
  const fromEnv = env[NEW_TOKEN_ENV]?.trim();
  if (fromEnv) return { token: fromEnv, source: NEW_TOKEN_ENV };
  return undefined;
}

function localCopy(inventory: Inventory, day: string): LocalCopy {
  const stored = statePaths(inventory).token;
  const storedPrevious = previousTokenFile(stored, day);
  if (inventory.cluster.tokenSource === 'file' && inventory.cluster.tokenFile) {
    return { kind: 'token-file', file: inventory.cluster.tokenFile, previous: previousTokenFile(inventory.cluster.tokenFile, day), stored, storedPrevious };
  }
  if (inventory.cluster.token !== undefined) {
    const where = inventory.cluster.tokenSource === 'env' ? `cluster.token of ${inventory.file}, from an environment variable` : `cluster.token in ${inventory.file}`;
    return { kind: 'inventory', where, stored, storedPrevious };
  }
  return { kind: 'stored', file: stored, previous: storedPrevious };
}

async function clusterToken(servers: string[], transportFor: (name: string) => Promise<Transport>): Promise<string | undefined> {
  for (const name of servers) {
    try {
      const result = await (await transportFor(name)).exec('cat /var/lib/rancher/k3s/server/token', { sudo: true, timeoutMs: 20_000 });
      if (result.exitCode === 0 && result.stdout.trim()) return result.stdout.trim();
    } catch {
      // Any server holds it.
    }
  }
  return undefined;
}

export interface RotationTokenOptions {
  given?: GivenToken;
  servers: string[];
  transportFor: (name: string) => Promise<Transport>;
  /** YYYY-MM-DD, for the name of the kept previous token. */
  day: string;
}

export async function rotationTokens(inventory: Inventory, options: RotationTokenOptions): Promise<RotationTokens> {
  const stored = statePaths(inventory).token;
  const local = localCopy(inventory, options.day);
  let oldToken = inventory.cluster.token ?? readStoredToken(stored);
  const oldSource = inventory.cluster.token !== undefined ? `the inventory's cluster.${inventory.cluster.tokenSource === 'file' ? 'tokenFile' : 'token'}` : oldToken ? stored : "a server's token file";
  let pending = readStoredToken(pendingTokenFile(stored));
  // Killed while fleet's copy was being replaced: the pending token is already the stored one.
  if (pending !== undefined && pending === oldToken) {
    rmSync(pendingTokenFile(stored), { force: true });
    pending = undefined;
  }
  const given = options.given;
  if (pending !== undefined && given && given.token !== pending) {
    throw new InputError(
      `an interrupted rotation to another token is pending (${pendingTokenFile(stored)})`,
      'run fleet token rotate again without --new-token-file (and without FLEET_NEW_TOKEN) to finish it first',
    );
  }
  oldToken ??= await clusterToken(options.servers, options.transportFor);
  if (pending !== undefined && oldToken !== undefined && tokenFingerprint(oldToken) === tokenFingerprint(pending)) oldToken = undefined;
  if (pending !== undefined)
    return {
      ...(oldToken !== undefined ? { oldToken } : {}),
      oldSource,
      newToken: pending,
      newSource: `the pending token of an interrupted rotation (${pendingTokenFile(stored)})`,
      newGiven: given !== undefined,
      local,
    };
  const newToken = given?.token ?? generateToken();
  return { ...(oldToken !== undefined ? { oldToken } : {}), oldSource, newToken, newSource: given?.source ?? 'generated by fleet (32 random bytes)', newGiven: given !== undefined, local };
}

/** fleet's copy after a rotation: the new token in place, the old one kept as .previous. Returns what it did, in words. */
export function keepRotatedToken(local: LocalCopy, tokens: { newToken: string; oldToken?: string }, day: string): string {
  if (local.kind === 'token-file') {
    const old = readStoredToken(local.file) ?? tokens.oldToken;
    if (old !== undefined && old !== tokens.newToken) atomicWriteFile(freePreviousFile(local.file, day, old), `${old}\n`, { mode: 0o600, forceMode: true });
    atomicWriteFile(local.file, `${tokens.newToken}\n`, { mode: 0o600, forceMode: true });
  }
  const stored = local.kind === 'stored' ? local.file : local.stored;
  const kept = replaceStoredToken(stored, tokens.newToken, day, tokens.oldToken);
  const where = local.kind === 'token-file' ? `${local.file} rewritten (old kept as ${local.previous}); ` : '';
  return `${where}${stored} holds the new token${kept ? `, the old one kept as ${kept}` : ''}`;
}
