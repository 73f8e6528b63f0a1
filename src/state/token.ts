// The cluster token: from the inventory, else from a live server, else generated once and kept
// in .fleet/<cluster>/token (0600). It never reaches argv, logs or output.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function readStoredToken(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const token = readFileSync(file, 'utf8').trim();
  return token.length > 0 ? token : undefined;
}

export function storeToken(file: string, token: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** 32 random bytes, hex: the same strength K3s generates for its own tokens. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}
