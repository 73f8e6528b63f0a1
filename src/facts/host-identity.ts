// Who the facts script ran as: uid 0 proves that sudo (or a root login) worked.
import type { FactProbe } from './probe.js';

export function parseUid(output: string): number | undefined {
  const uid = output.trim();
  return /^\d+$/.test(uid) ? Number(uid) : undefined;
}

export const identityProbe: FactProbe<number | undefined> = {
  name: 'identity',
  script: 'id -u',
  parse: parseUid,
};
