// Which K3s releases have `k3s token rotate`: the October 2023 releases v1.28.2, v1.27.7, v1.26.10
// and v1.25.15 and everything later on those minors; every minor from 1.29 on. Before: no rotation
// (K3s docs cli/token.md; k3s#8264 and its backports).
import { parseK3sVersion } from './version-order.js';

const FIRST_WITH_ROTATE: Record<string, number> = { '1.25': 15, '1.26': 10, '1.27': 7, '1.28': 2 };

export const ROTATE_RELEASES = 'v1.28.2, v1.27.7, v1.26.10, v1.25.15 and later';

/** True when `version` (e.g. v1.31.4+k3s1) can rotate its server token; false when unknown. */
export function hasTokenRotate(version: string | undefined): boolean {
  const parsed = version ? parseK3sVersion(version) : undefined;
  if (!parsed) return false;
  const [major = 0, minor = 0, patch = 0] = parsed;
  if (major !== 1) return major > 1;
  if (minor >= 29) return true;
  const first = FIRST_WITH_ROTATE[`1.${minor}`];
  return first !== undefined && patch >= first;
}
