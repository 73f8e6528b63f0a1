// K3s release versions (v1.22.2+k3s1) compared by their numbers, for version gates.

const PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(?:-[^+]*)?(?:\+k3s(\d+))?$/;

export function parseK3sVersion(version: string): number[] | undefined {
  const match = PATTERN.exec(version.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
}

/** Negative when a < b, 0 when equal, positive when a > b; undefined when either does not parse. */
export function compareK3sVersions(a: string, b: string): number | undefined {
  const left = parseK3sVersion(a);
  const right = parseK3sVersion(b);
  if (!left || !right) return undefined;
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return left[i]! - right[i]!;
  return 0;
}

/** The first release that converts a SQLite datastore to etcd when restarted with cluster-init. */
export const FIRST_SQLITE_CONVERSION = 'v1.22.2+k3s1';
