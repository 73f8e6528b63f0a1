// Render a host's config.yaml: the planned flags with the token placeholder replaced by the real
// token. The result holds a secret: it only ever goes into a 0600 file on the host.
import { stringify } from 'yaml';
import type { FlagMap } from '../inventory/types.js';
import { TOKEN_PLACEHOLDER } from '../ops/up/types.js';

const HEADER = '# Written by fleet. Changes here are overwritten by the next `fleet up`.\n';

export function withToken(config: FlagMap, token: string): FlagMap {
  const out: FlagMap = {};
  for (const [key, value] of Object.entries(config)) out[key] = value === TOKEN_PLACEHOLDER ? token : value;
  // Every node gets the token explicitly: fleet owns it, so a first server never invents its own.
  out.token = token;
  return out;
}

export function renderConfigYaml(config: FlagMap, token: string): string {
  return HEADER + stringify(withToken(config, token), { lineWidth: 0 });
}

// One normaliser for flag values: plan/drift.ts (re-exported here for the step's callers).
export { sameFlags } from '../rules/drift.js';
