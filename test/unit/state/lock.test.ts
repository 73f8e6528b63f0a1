import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockHeldError, RunLock } from '../../../src/state/lock.js';

describe('state/lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns away a second run with the owner and its age, and frees on release', () => {
    const file = join(dir, 'c', 'lock');
    const lock = RunLock.acquire(file, 'fleet up a.yaml');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    let error: unknown;
    try {
      RunLock.acquire(file, 'fleet up a.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(LockHeldError);
    const held = error as LockHeldError;
    expect(held.message)
      .to.include(`pid ${process.pid}`)
      .and.include('fleet up a.yaml')
      .and.match(/\d+s ago/);
    expect(held.stale).to.equal(false);
    expect(held.exitCode).to.equal(2);
    lock.release();
    expect(existsSync(file)).to.equal(false);
    RunLock.acquire(file, 'again').release();
  });

  it('calls a lock of a dead process stale and says how to clear it', () => {
    const file = join(dir, 'lock');
    // pid 2^22+1 is above Linux's pid_max default, so no process has it.
    writeFileSync(file, JSON.stringify({ pid: 4194305, host: hostname(), command: 'fleet up x', startedAt: new Date(Date.now() - 3_600_000).toISOString() }));
    try {
      RunLock.acquire(file, 'fleet up x');
      expect.fail('acquired a held lock');
    } catch (err) {
      expect((err as LockHeldError).stale).to.equal(true);
      expect((err as LockHeldError).message)
        .to.include('stale')
        .and.include('60m ago');
      expect((err as LockHeldError).hint).to.include(file);
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).to.equal(4194305);
  });
});
