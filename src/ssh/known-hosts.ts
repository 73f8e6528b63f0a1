// known_hosts parsing and lookup following OpenSSH's sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT":
// plain and hashed (|1|salt|hash) host fields, [host]:port for non-22 ports, comma lists,
// `!` negation, `@revoked` (refuse that key) and `@cert-authority` (not used by fleet: skipped).
import { createHmac } from 'node:crypto';
import { matchesPatternList } from './host-patterns.js';

export interface KnownHostEntry {
  file: string;
  /** 1-based line number, for "the old key is at FILE:LINE" messages. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field exactly as written (comma list or a hashed |1|salt|hash). */
  hosts: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyCheck = { status: 'known'; entry: KnownHostEntry } | { status: 'unknown' } | { status: 'changed'; entry: KnownHostEntry } | { status: 'revoked'; entry: KnownHostEntry };

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address.toLowerCase() : `[${address.toLowerCase()}]:${port}`;
}

export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH ignores the line
    }
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64) return;
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length === 0) return;
    entries.push({ file, line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

function matchesHashedHost(name: string, hashed: string): boolean {
  // |1|base64(salt)|base64(HMAC-SHA1(key=salt, data=name))
  const parts = hashed.split('|');
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2], 'base64');
  const expected = createHmac('sha1', salt).update(name).digest('base64');
  return expected === parts[3];
}

/** Does this entry's host field cover the looked-up name? */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|')) return matchesHashedHost(name, entry.hosts);
  return matchesPatternList(name, entry.hosts.split(','));
}

/** Host entries that apply to this name and are usable host keys (markers excluded). */
export function hostKeysFor(entries: readonly KnownHostEntry[], name: string): KnownHostEntry[] {
  return entries.filter((entry) => entry.marker === undefined && entryMatchesHost(entry, name));
}

/**
 * Decide about a presented key as OpenSSH does: a revoked key is refused; an identical key is
 * known; a different key of the same type is changed. A host known only with other key types is
 * also treated as changed: fleet asks for those types first (see preferredHostKeyAlgorithms),
 * so a server offering none of them is not the machine that was recorded.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, keyType: string, key: Buffer): HostKeyCheck {
  const revoked = entries.find((entry) => entry.marker === 'revoked' && entry.key.equals(key) && entryMatchesHost(entry, name));
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = hostKeysFor(entries, name);
  const same = forHost.find((entry) => entry.key.equals(key));
  if (same) return { status: 'known', entry: same };
  const sameType = forHost.find((entry) => entry.keyType === keyType);
  if (sameType) return { status: 'changed', entry: sameType };
  if (forHost.length > 0) return { status: 'changed', entry: forHost[0] };
  return { status: 'unknown' };
}

/** ssh2 host key algorithm names that a known_hosts key type can be negotiated as. */
function algorithmsForKeyType(keyType: string): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [keyType];
}

/**
 * Host key algorithms with the types already recorded for this host first, so the server is
 * asked for the key we can check (OpenSSH does the same). Undefined when nothing is recorded.
 */
export function preferredHostKeyAlgorithms<Algorithm extends string>(knownForHost: readonly KnownHostEntry[], supported: readonly Algorithm[]): Algorithm[] | undefined {
  const preferred: Algorithm[] = [];
  for (const entry of knownForHost) {
    for (const name of algorithmsForKeyType(entry.keyType)) {
      const algorithm = supported.find((candidate) => candidate === name);
      if (algorithm !== undefined && !preferred.includes(algorithm)) preferred.push(algorithm);
    }
  }
  if (preferred.length === 0) return undefined;
  return [...preferred, ...supported.filter((algorithm) => !preferred.includes(algorithm))];
}

/** A plain known_hosts line for a newly accepted key. */
export function formatKnownHostsLine(name: string, keyType: string, key: Buffer): string {
  return `${name} ${keyType} ${key.toString('base64')}\n`;
}
