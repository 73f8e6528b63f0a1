// The installed /etc/rancher/k3s/config.yaml (root-only). Secrets stop here: the token and
// agent-token are removed and only their fingerprints leave this parser, so the planner can tell
// whether the inventory's token matches without the token reaching plan output or logs.
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { FlagMap, FlagValue } from '../inventory/types.js';
import type { FactProbe } from './probe.js';

export interface K3sConfigFacts {
  status: 'absent' | 'unreadable' | 'invalid' | 'present';
  /** The settings, without token and agent-token. */
  config?: FlagMap;
  tokenHash?: string;
  agentTokenHash?: string;
  /** Why status is invalid; never quotes the file (it holds the token). */
  error?: string;
}

const ABSENT = '# fleet: absent';
const UNREADABLE = '# fleet: unreadable';
const SECRET_KEYS = { token: 'tokenHash', 'agent-token': 'agentTokenHash' } as const;

/**
 * The secret a K3s token carries: a full token "K10<CA hash>::server:<secret>" (what
 * /var/lib/rancher/k3s/server/token holds) and the bare "<secret>" a user writes are the same token
 * to K3s, which encrypts its bootstrap data with the secret.
 */
export function tokenSecret(token: string): string {
  const trimmed = token.trim();
  return /^K10[0-9a-f]+::(?:server|node):(.+)$/.exec(trimmed)?.[1] ?? trimmed;
}

/** "sha256:<hex>" of the token's secret; compare with tokenFingerprint(the inventory's token). */
export function tokenFingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(tokenSecret(token)).digest('hex')}`;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function toFlagValue(value: unknown): FlagValue | undefined {
  if (isScalar(value)) return value;
  if (Array.isArray(value)) return value.map((item) => (isScalar(item) ? item : JSON.stringify(item)));
  if (value === null || value === undefined) return undefined;
  return JSON.stringify(value);
}

export function parseK3sConfig(output: string): K3sConfigFacts {
  const firstLine = output.split('\n')[0]!.trim();
  if (firstLine === ABSENT) return { status: 'absent' };
  if (firstLine === UNREADABLE) return { status: 'unreadable' };
  let document: unknown;
  try {
    // logLevel 'error': the library would print its warnings to stderr quoting the line, which
    // may hold the token (e.g. `token: !custom-tag K10…`).
    document = parseYaml(output, { logLevel: 'error' });
  } catch (err) {
    // yaml's message quotes the offending line, which may be the token: keep only its position.
    const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return { status: 'invalid', error: `not valid YAML${line ? ` (line ${line})` : ''}` };
  }
  if (document === null || document === undefined) return { status: 'present', config: {} };
  if (typeof document !== 'object' || Array.isArray(document)) {
    return { status: 'invalid', error: 'not a mapping of flag names to values' };
  }
  const facts: K3sConfigFacts = { status: 'present', config: {} };
  for (const [key, value] of Object.entries(document as Record<string, unknown>)) {
    if (key in SECRET_KEYS) {
      if (value !== null && value !== undefined) {
        facts[SECRET_KEYS[key as keyof typeof SECRET_KEYS]] = tokenFingerprint(String(value));
      }
      continue;
    }
    const flag = toFlagValue(value);
    if (flag !== undefined) facts.config![key] = flag;
  }
  return facts;
}

export const k3sConfigProbe: FactProbe<K3sConfigFacts> = {
  name: 'k3s-config',
  script: ['f=/etc/rancher/k3s/config.yaml', `if [ ! -e "$f" ]; then echo '${ABSENT}'`, `elif [ ! -r "$f" ]; then echo '${UNREADABLE}'`, 'else cat "$f"; fi'].join('\n'),
  parse: parseK3sConfig,
};
