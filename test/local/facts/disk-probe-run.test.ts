// The whole disk probe run for real on this machine through the local Transport: fio, the python3
// fallback and the refusal, the count and time bounds, clean-up, and agreement of the two tools
// on a filesystem whose fdatasync takes 20 ms.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskProbeEnv, diskProbeScript, probeDiskLatency, type DiskProbeResult } from '../../../src/facts/disk-probe.js';
import type { DiskLatency } from '../../../src/facts/types.js';
import { LocalTransport } from '../support/local-transport.js';
import { mountSlowDir, type SlowDir } from '../support/slow-dir.js';

function latency(result: DiskProbeResult): DiskLatency {
  if ('error' in result) throw new Error(`probe failed: ${result.error}`);
  return result;
}

/** A PATH holding only what the probe needs besides its tools, plus the tools given. */
function pathWith(root: string, tools: string[]): string {
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const tool of ['sh', 'mktemp', 'dirname', 'rm', 'sed', 'tr', 'cat', 'tail', ...tools]) {
    symlinkSync(tool === 'python3' ? '/usr/bin/python3' : `/bin/${tool}`, join(bin, tool));
  }
  return bin;
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('.fleet-disk-probe'));

describe('disk probe: run on this machine', function () {
  this.timeout(120_000);
  let dir: string;
  const transport = new LocalTransport('local');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-disk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('measures with fio in the nearest existing ancestor, 300 writes at most, and cleans up', async () => {
    const result = latency(await probeDiskLatency(transport, { directory: join(dir, 'k3s/server/db') }));
    expect(result.tool).to.equal('fio');
    expect(result.directory).to.equal(dir);
    // fio counts the fdatasyncs between writes: 299 for 300 writes.
    expect(result.samples).to.be.within(290, 300);
    expect(result.p99Ms).to.be.at.least(result.p50Ms);
    expect(leftovers(dir)).to.deep.equal([]);
    expect(transport.calls.at(-1)!.options.sudo).to.equal(true);
  });

  it('measures with python3 when forced, exactly 300 writes', async () => {
    const result = latency(await probeDiskLatency(transport, { directory: dir, tool: 'python3' }));
    expect(result).to.include({ tool: 'python3', directory: dir, samples: 300 });
    expect(result.p99Ms).to.be.at.least(result.p50Ms);
    expect(leftovers(dir)).to.deep.equal([]);
  });

  it('honours a smaller write count with both tools', async () => {
    const python = latency(await probeDiskLatency(transport, { directory: dir, tool: 'python3', maxWrites: 40 }));
    const fio = latency(await probeDiskLatency(transport, { directory: dir, tool: 'fio', maxWrites: 40 }));
    expect(python.samples).to.equal(40);
    expect(fio.samples).to.be.within(38, 40);
  });

  it('falls back to python3 on a host without fio', async () => {
    const host = new LocalTransport('no-fio', { env: { PATH: pathWith(dir, ['python3']) } });
    const result = latency(await probeDiskLatency(host, { directory: dir }));
    expect(result).to.include({ tool: 'python3', samples: 300 });
  });

  it('refuses on a host with neither fio nor python3', async () => {
    const host = new LocalTransport('bare', { env: { PATH: pathWith(dir, []) } });
    expect(await probeDiskLatency(host, { directory: dir })).to.deep.equal({
      error: 'no fio and no python3: cannot measure fdatasync latency',
    });
  });

  it('refuses with the reason when neither tool may be used', async () => {
    expect(await probeDiskLatency(transport, { directory: dir, tool: 'none' })).to.deep.equal({
      error: 'no fio and no python3: cannot measure fdatasync latency',
    });
    expect(leftovers(dir)).to.deep.equal([]);
  });

  it('refuses bad parameters before writing anything', async () => {
    const result = await transport.exec('sh -s', { stdin: diskProbeScript(), env: { FLEET_PROBE_MAX_WRITES: '3x', FLEET_PROBE_DIR: dir } });
    expect(result.exitCode).to.equal(1);
    expect(result.stdout).to.include('FLEET_PROBE_MAX_WRITES must be a whole number');
    expect(leftovers(dir)).to.deep.equal([]);
  });

  it('removes its temporary directory when it is killed mid-run', async () => {
    const slow = await mountSlowDir(20);
    try {
      const child = spawn('sh', ['-s'], {
        env: { ...process.env, ...diskProbeEnv({ directory: slow.dir, tool: 'python3', maxSeconds: 30 }) },
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.stdin.end(diskProbeScript());
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(leftovers(slow.dir)).to.have.length(1);
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(leftovers(slow.dir)).to.deep.equal([]);
    } finally {
      await slow.unmount();
    }
  });

  describe('on a filesystem whose fdatasync takes 20 ms', () => {
    let slow: SlowDir;
    before(async () => {
      slow = await mountSlowDir(20);
    });
    after(async () => {
      await slow.unmount();
    });

    it('python3 stops by time with fewer samples, p99 at least 20 ms', async () => {
      const result = latency(await probeDiskLatency(transport, { directory: slow.dir, tool: 'python3', maxSeconds: 1 }));
      expect(result.samples).to.be.within(10, 52);
      expect(result.p99Ms).to.be.at.least(20);
      expect(leftovers(slow.dir)).to.deep.equal([]);
    });

    it('fio stops by time with fewer samples, p99 at least 20 ms', async () => {
      const result = latency(await probeDiskLatency(transport, { directory: slow.dir, tool: 'fio', maxSeconds: 1 }));
      expect(result.samples).to.be.within(10, 52);
      expect(result.p99Ms).to.be.at.least(20);
      expect(leftovers(slow.dir)).to.deep.equal([]);
    });

    it('fio and python3 agree within 20%', async () => {
      // On a shared 2-core machine a scheduling spike lands in either tool's tail at random
      // (p99 of ~140 samples is the 2nd slowest write). A real difference between the tools
      // shows in every attempt, so one attempt of five where p50 and p99 both agree proves them.
      const relativeGap = (a: number, b: number): number => Math.abs(a - b) / Math.min(a, b);
      const gaps: Array<{ p50: number; p99: number }> = [];
      const agree = (gap: { p50: number; p99: number }) => gap.p50 < 0.2 && gap.p99 < 0.2;
      for (let attempt = 0; attempt < 5 && !gaps.some(agree); attempt++) {
        const fio = latency(await probeDiskLatency(transport, { directory: slow.dir, tool: 'fio', maxSeconds: 3 }));
        const python = latency(await probeDiskLatency(transport, { directory: slow.dir, tool: 'python3', maxSeconds: 3 }));
        gaps.push({ p50: relativeGap(fio.p50Ms, python.p50Ms), p99: relativeGap(fio.p99Ms, python.p99Ms) });
      }
      expect(gaps.some(agree), JSON.stringify(gaps)).to.equal(true);
    });
  });
});
