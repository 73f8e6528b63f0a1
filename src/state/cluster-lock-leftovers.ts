// Cluster locks this controller's finished runs could not give back (a server was down when the
// run ended). Such a lock is known to be over, not stale: the next run from the same state
// directory takes it over instead of refusing, so a crashed Pi never blocks the re-run that heals it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from './atomic-write.js';

const KEPT = 50;

export const leftoversFile = (stateDir: string): string => join(stateDir, 'cluster-lock-leftovers.json');

/** Run ids whose locks are left on some server although their run has ended. */
export function readLeftoverRuns(stateDir: string): string[] {
  const file = leftoversFile(stateDir);
  if (!existsSync(file)) return [];
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function recordLeftoverRun(stateDir: string, runId: string): void {
  // A state directory removed on purpose (fleet reset) is not brought back for this.
  if (!existsSync(stateDir)) return;
  const runs = [...readLeftoverRuns(stateDir).filter((id) => id !== runId), runId].slice(-KEPT);
  atomicWriteFile(leftoversFile(stateDir), `${JSON.stringify(runs)}\n`, { mode: 0o600 });
}
