// What a server holds of the cluster token, as fingerprints (playbooks/token-state.sh): the token
// file K3s writes at start (and `token rotate` rewrites), the CA hash in front of it, and which
// token K3s's bootstrap data in etcd is stored under. The secret itself never leaves the host.
import type { Transport } from '../ssh/transport.js';
import { readPlaybookFile } from './playbook-file.js';
import { splitSections } from './sections.js';

export interface ServerTokenState {
  host: string;
  /** "sha256:<hex>" of the secret in /var/lib/rancher/k3s/server/token (tokenFingerprint's form). */
  tokenFileFingerprint?: string;
  /** The cluster CA hash of the K10 token in that file. */
  caHash?: string;
  /**
   * The 12-hex prefixes of /bootstrap/<sha256(secret)[:12]> keys in etcd: the token the bootstrap
   * data is encrypted with. Undefined when etcd did not answer (or there is none: SQLite).
   */
  bootstrapPrefixes?: string[];
  error?: string;
}

export function parseTokenState(host: string, stdout: string): ServerTokenState {
  const sections = splitSections(stdout);
  const state: ServerTokenState = { host };
  for (const line of (sections.get('token-file')?.text ?? '').split('\n')) {
    const [kind, value] = line.trim().split(' ');
    if (kind === 'sha256' && value && /^[0-9a-f]{64}$/.test(value)) state.tokenFileFingerprint = `sha256:${value}`;
    if (kind === 'ca' && value && /^[0-9a-f]{64}$/.test(value)) state.caHash = value;
  }
  const keys = sections.get('bootstrap-keys');
  try {
    const doc = JSON.parse(keys?.text ?? '') as { kvs?: Array<{ key?: string }> };
    state.bootstrapPrefixes = (doc.kvs ?? [])
      .map((kv) => Buffer.from(kv.key ?? '', 'base64').toString())
      .map((key) => /^\/bootstrap\/([0-9a-f]{12})$/.exec(key)?.[1])
      .filter((prefix): prefix is string => prefix !== undefined);
  } catch {
    state.error = (keys?.text ?? '').trim().split('\n')[0] || 'etcd did not answer';
  }
  return state;
}

/** The bootstrap key prefix a token's fingerprint ("sha256:<hex>") stands for. */
export const bootstrapPrefix = (fingerprint: string): string => fingerprint.replace(/^sha256:/, '').slice(0, 12);

export async function readTokenState(transport: Transport): Promise<ServerTokenState> {
  const result = await transport.exec('sh -s', { stdin: readPlaybookFile('token-state.sh'), sudo: true, timeoutMs: 20_000 });
  return parseTokenState(transport.host, result.stdout);
}
