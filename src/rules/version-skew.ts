// Version skew rules for one host's upgrade: one minor at a time, no downgrade unless allowed.
// Kubernetes' skew policy: no skipping a minor; K3s's own tooling does not support downgrades.
import { SafetyError } from '../errors.js';
import { compareK3sVersions, parseK3sVersion } from './version-order.js';

export type VersionStep = 'same' | 'patch' | 'next-minor' | 'downgrade';

/** "1.30 → 1.31 → 1.32": every minor from one version to another. */
export function minorPath(from: string, to: string): string {
  const [fromMajor, fromMinor] = parseK3sVersion(from)!;
  const [, toMinor] = parseK3sVersion(to)!;
  const minors: string[] = [];
  for (let minor = fromMinor!; minor <= toMinor!; minor++) minors.push(`${fromMajor}.${minor}`);
  return minors.join(' → ');
}

/** What moving `host` from `current` to `target` is; refuses a skipped minor or a downgrade. */
export function versionStep(host: string, current: string, target: string, allowDowngrade: boolean): VersionStep {
  const from = parseK3sVersion(current);
  const to = parseK3sVersion(target);
  if (!from || !to) {
    throw new SafetyError(
      `${host} runs K3s ${current || 'of an unknown version'}: fleet cannot tell how far it is from ${target}`,
      'check the host with fleet status; fleet upgrade needs versions like v1.31.4+k3s1',
    );
  }
  const order = compareK3sVersions(current, target)!;
  if (order === 0) return 'same';
  if (order > 0) {
    if (allowDowngrade) return 'downgrade';
    throw new SafetyError(
      `${host} runs ${current}, newer than the target ${target}: a downgrade is refused (K3s does not support them; a rollback is the old binary plus an etcd snapshot taken before the upgrade)`,
      'set cluster.k3s.version to the version the cluster runs, or pass --allow-downgrade if you know the downgrade is safe',
      host,
    );
  }
  if (from[0] !== to[0]) {
    throw new SafetyError(`${host} runs ${current}; moving to ${target} changes the major version`, 'upgrade one minor version at a time', host);
  }
  if (to[1]! - from[1]! > 1) {
    throw new SafetyError(
      `${host} runs ${current}; ${target} skips ${to[1]! - from[1]! - 1} minor version${to[1]! - from[1]! === 2 ? '' : 's'} (Kubernetes' version-skew policy allows one minor at a time)`,
      `upgrade through every minor: ${minorPath(current, target)} — set cluster.k3s.version to a v${from[0]}.${from[1]! + 1}.x release, run fleet upgrade, then the next minor`,
      host,
    );
  }
  return to[1] === from[1] ? 'patch' : 'next-minor';
}
