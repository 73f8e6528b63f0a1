// The raw floor: one OpenSSH `ssh host true` per host, all at once, with the lab's key and
// known_hosts (strict checking stays on).
import type { Lab } from '../../test/lab/lab.js';
import { timedRun } from './timing.js';

export function sshArgs(lab: Lab, host: string, command: string): string[] {
  const h = lab.host(host);
  return [
    '-i',
    h.identityFile,
    '-p',
    String(h.port),
    '-o',
    `UserKnownHostsFile=${h.knownHostsFile}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'LogLevel=ERROR',
    '-F',
    '/dev/null',
    `${h.user}@${h.address}`,
    command,
  ];
}

/** Wall time until every host has answered; throws when one did not. */
export async function rawSshFanOut(lab: Lab, hosts: readonly string[]): Promise<number> {
  const started = performance.now();
  const runs = await Promise.all(hosts.map((host) => timedRun('ssh', sshArgs(lab, host, 'true'), { timeoutMs: 120_000, sampleMs: 1000 })));
  const wall = performance.now() - started;
  const bad = runs.filter((r) => r.code !== 0);
  if (bad.length > 0) throw new Error(`raw ssh failed on ${bad.length} hosts: ${bad[0]!.stderr.trim()}`);
  return wall;
}
