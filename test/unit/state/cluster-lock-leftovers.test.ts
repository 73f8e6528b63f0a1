import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterLockHeldError, newLockOwner, type ClusterLockOwner } from '../../../src/state/cluster-lock.js';
import { ClusterLockHold } from '../../../src/state/cluster-lock-hold.js';
import { readLeftoverRuns, recordLeftoverRun } from '../../../src/state/cluster-lock-leftovers.js';
import type { Transport } from '../../../src/ssh/transport.js';

/** One host's /var/lib/rancher/k3s/fleet.lock, answering the lock scripts as the host would. */
function lockHost(name: string, state: { lock?: string; down?: boolean }): Transport {
  return {
    host: name,
    exec: async (_script: string, options?: { env?: Record<string, string> }) => {
      if (state.down) throw new Error(`${name}: connection lost`);
      const env = options?.env ?? {};
      let stdout = '';
      if (env['FLEET_LOCK'] !== undefined) {
        if (state.lock === undefined) {
          state.lock = env['FLEET_LOCK'];
          stdout = 'fleet-lock: acquired\n';
        } else stdout = `fleet-lock: held\n${state.lock}\n`;
      } else if (env['FLEET_LOCK_RUN'] !== undefined) {
        if (state.lock?.includes(`"runId":"${env['FLEET_LOCK_RUN']}"`)) {
          state.lock = undefined;
          stdout = 'fleet-lock: released\n';
        } else stdout = 'fleet-lock: not ours\n';
      }
      return { stdout, stderr: '', exitCode: 0, timedOut: false, durationMs: 1 };
    },
  } as unknown as Transport;
}

describe("state/cluster-lock: locks left by this controller's ended runs", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-leftovers-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const memory = () => ({ leftovers: readLeftoverRuns(dir), remember: (runId: string) => recordLeftoverRun(dir, runId) });

  it('a run whose server went down remembers its lock; the next run takes that lock over', async () => {
    const h1 = { lock: undefined as string | undefined, down: false };
    const h2 = { lock: undefined as string | undefined, down: false };
    const hosts = { h1: lockHost('h1', h1), h2: lockHost('h2', h2) };
    const transportFor = async (name: string) => hosts[name as 'h1' | 'h2'];
    const first = await ClusterLockHold.acquire(['h1', 'h2'], transportFor, newLockOwner('fleet up'), undefined, memory());
    h2.down = true; // crashed during the run: its lock stays on its disk
    await first.release();
    expect(h1.lock).to.equal(undefined);
    expect(readLeftoverRuns(dir)).to.deep.equal([first.owner.runId]);
    h2.down = false;
    const second = await ClusterLockHold.acquire(['h1', 'h2'], transportFor, newLockOwner('fleet up'), undefined, memory());
    expect(second.hosts).to.deep.equal(['h1', 'h2']);
    expect((JSON.parse(h2.lock!) as ClusterLockOwner).runId).to.equal(second.owner.runId);
  });

  it("a lock that vanished with the host's data (an uninstall) leaves nothing to remember, and a removed state directory stays removed", async () => {
    const h1 = { lock: undefined as string | undefined };
    const hold = await ClusterLockHold.acquire(['h1'], async () => lockHost('h1', h1), newLockOwner('fleet reset'), undefined, memory());
    h1.lock = undefined; // k3s-uninstall.sh removed /var/lib/rancher/k3s, the lock with it
    await hold.release();
    expect(readLeftoverRuns(dir)).to.deep.equal([]);
    rmSync(dir, { recursive: true, force: true });
    recordLeftoverRun(dir, 'some-run');
    expect(existsSync(dir)).to.equal(false);
  });

  it('a lock of a run this controller does not know as ended is still refused', async () => {
    const other = newLockOwner('fleet up');
    const h1 = { lock: JSON.stringify(other) };
    let error: unknown;
    await ClusterLockHold.acquire(['h1'], async () => lockHost('h1', h1), newLockOwner('fleet up'), undefined, memory()).catch((err) => (error = err));
    expect(error).to.be.instanceOf(ClusterLockHeldError);
    expect(JSON.parse(h1.lock).runId).to.equal(other.runId);
  });
});
