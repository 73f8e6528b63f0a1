// The cluster token: from the inventory, else from a live server, else generated once and kept
// in .fleet/<cluster>/token (0600). It never reaches argv, logs or output. The stored copy is the
// only one off the servers (a restore cannot do without it), so it is never overwritten with a
// different value except by a token rotation or a restore, which keep the replaced one as
// token.<date>.previous; every write is atomic, so a crash cannot truncate it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SafetyError } from '../errors.js';
import { atomicWriteFile } from '../state/atomic-write.js';

export function readStoredToken(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const token = readFileSync(file, 'utf8').trim();
  return token.length > 0 ? token : undefined;
}

/** Keep `token` in `file` (0600). The same value again is a no-op; a different one is refused. */
export function storeToken(file: string, token: string): void {
  const stored = readStoredToken(file);
  if (stored === token) return;
  if (stored !== undefined) {
    throw new SafetyError(
      `${file} already holds a different cluster token; fleet never overwrites it`,
      "that file may be the only copy of a cluster's token: move it aside (and keep it) if it belongs to a cluster that no longer exists",
    );
  }
  atomicWriteFile(file, `${token}\n`, { mode: 0o600, forceMode: true });
}

/** 32 random bytes, hex: the same strength K3s generates for its own tokens. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Where a rotation keeps the new token before K3s gets it: a run killed after the rotation finds it here. */
export const pendingTokenFile = (file: string): string => `${file}.pending`;

/** The kept copy of a replaced token: `<file>.<YYYY-MM-DD>.previous` (older snapshots need it). */
export const previousTokenFile = (file: string, day: string): string => `${file}.${day}.previous`;

/**
 * Where to keep `token` as a previous one: `<file>.<day>.previous`, or `<file>.<day>-<n>.previous`
 * when a rotation earlier that day kept another token there (every old token stays kept).
 */
export function freePreviousFile(file: string, day: string, token: string): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? previousTokenFile(file, day) : previousTokenFile(file, `${day}-${n}`);
    const held = readStoredToken(candidate);
    if (held === undefined || held === token) return candidate;
  }
}

/** Keep the new token aside (0600) until every host has it; the same value again is a no-op. */
export function storePendingToken(file: string, token: string): void {
  const pending = pendingTokenFile(file);
  if (readStoredToken(pending) === token) return;
  atomicWriteFile(pending, `${token}\n`, { mode: 0o600, forceMode: true });
}

/**
 * Replace the token in `file` by `token` (atomic, 0600), keeping the one it held as
 * `<file>.<day>.previous` (0600), and drop the pending copy. Returns the previous file, if any.
 */
export function replaceStoredToken(file: string, token: string, day: string, old?: string): string | undefined {
  const stored = readStoredToken(file) ?? old;
  let kept: string | undefined;
  if (stored !== undefined && stored !== token) {
    kept = freePreviousFile(file, day, stored);
    atomicWriteFile(kept, `${stored}\n`, { mode: 0o600, forceMode: true });
  }
  if (readStoredToken(file) !== token) atomicWriteFile(file, `${token}\n`, { mode: 0o600, forceMode: true });
  rmSync(pendingTokenFile(file), { force: true });
  return kept;
}
