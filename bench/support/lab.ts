// Labs for the bench: each on a network of its own (127.0.20+, never the demo's 127.0.1), always
// taken down again, even when the benchmark throws.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabUpOptions } from '../../test/lab/lab.js';
import { downTestLab, upTestLab } from '../../test/lab/support.js';

// Labs up right now, so that Ctrl-C (which skips `finally`) can still take them down.
const active = new Set<Lab>();

export async function withLab<T>(options: Omit<LabUpOptions, 'dir' | 'network'>, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await upTestLab(options);
  active.add(lab);
  try {
    relaxDiskGate(lab);
    return await fn(lab);
  } finally {
    active.delete(lab);
    await downTestLab(lab);
  }
}

/**
 * The bench measures time, not the disk gate (it has its own tests): on a busy or slow machine a
 * server's fdatasync p99 can pass the lab's 25 ms limit, which would refuse the run being timed.
 * The probe still runs, at the same cost.
 */
function relaxDiskGate(lab: Lab): void {
  const text = readFileSync(lab.files.inventory, 'utf8');
  writeFileSync(lab.files.inventory, text.replace(/maxFsyncP99Ms: \d+/, 'maxFsyncP99Ms: 1000'));
}

/** Take down every lab still up (on SIGINT/SIGTERM). */
export async function downActiveLabs(): Promise<void> {
  const labs = [...active];
  active.clear();
  for (const lab of labs) await downTestLab(lab).catch((err: unknown) => console.error(`bench: could not take down ${lab.dir}: ${String(err)}`));
}

/** A lab with `agents` agents after the lab's three servers. */
export const hostCount = (agents: number): number => 3 + agents;

const sshdLog = (lab: Lab, host: string): string => join(lab.dir, 'hosts', host, 'disk', 'var-log', 'sshd.log');

/** Logins each host's sshd has accepted so far, by host: what the hosts saw, not what fleet says. */
export function acceptedLogins(lab: Lab): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { name } of lab.hosts) {
    const file = sshdLog(lab, name);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    counts.set(name, text.split('\n').filter((line) => line.includes('Accepted publickey')).length);
  }
  return counts;
}

/** Logins per host between two snapshots of acceptedLogins. */
export function loginsSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([host, n]) => [host, n - (before.get(host) ?? 0)]));
}
