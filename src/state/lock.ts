// A run lock per cluster, so two `fleet up`s on one inventory never interleave their joins.
// The lock file is created with O_EXCL; it records who holds it so the second run can say so.
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

export class LockHeldError extends InputError {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner | undefined,
    readonly stale: boolean,
  ) {
    super(
      owner
        ? `another fleet run holds ${lockFile}: \`${owner.command}\` (pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}, ${ageText(owner.startedAt)} ago)${stale ? ' — that process is gone, so the lock is stale' : ''}`
        : `${lockFile} exists and cannot be read`,
      stale || !owner ? `if no fleet run is going on, remove it: fleet unlock <inventory> (or rm ${lockFile})` : 'wait for that run to finish',
    );
  }
}

function ageText(startedAt: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLockOwner(lockFile: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner is provably dead (same machine, pid gone). */
export function lockIsStale(owner: LockOwner | undefined): boolean {
  return owner !== undefined && owner.host === hostname() && !processAlive(owner.pid);
}

export class RunLock {
  private released = false;
  private constructor(readonly file: string) {}

  static acquire(file: string, command: string): RunLock {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const owner: LockOwner = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const existing = readLockOwner(file);
      throw new LockHeldError(file, existing, lockIsStale(existing));
    }
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);
    return new RunLock(file);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone (e.g. removed by hand); nothing to release.
    }
  }
}
