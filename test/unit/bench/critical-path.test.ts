import { expect } from 'chai';
import { criticalPath, packedMakespan } from '../../../bench/critical-path.js';
import type { UpReport } from '../../../bench/support/run-report.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const host = (name: string, role: 'server' | 'agent', startMs: number, durationMs: number) => ({ name, role, outcome: 'changed', steps: [{ name: 'install', startedAt: at(startMs), durationMs }] });

// Report starts at T0; node started 300 ms before; the run exits 100 ms after the report ends.
function report(hosts: UpReport['hosts'], durationMs: number): UpReport {
  return { startedAt: at(0), durationMs, exitCode: 0, changed: true, hosts };
}
const run = (wallMs: number) => ({ wallMs, startedAtMs: T0 - 300, code: 0, stdout: '', stderr: '', peakRssKb: 0, maxFds: 0 });

describe('bench: critical path', () => {
  it('packs durations into slots in start order', () => {
    expect(packedMakespan([3, 3, 3, 3], 2)).to.equal(6);
    expect(packedMakespan([5, 1, 1, 1], 2)).to.equal(5);
    expect(packedMakespan([], 4)).to.equal(0);
  });

  it('takes the first server, then the longer of the other joins and the agent waves', () => {
    // s1 0–1000; s2 1000–3000; s3 3000–5000; agents from 1000, 2 slots: 4 × 1500 → 3000.
    const hosts = [
      host('s1', 'server', 1000, 1000),
      host('s2', 'server', 2000, 2000),
      host('s3', 'server', 4000, 2000),
      ...['a1', 'a2', 'a3', 'a4'].map((n, i) => host(n, 'agent', 2000 + Math.floor(i / 2) * 1500, 1500)),
    ];
    const path = criticalPath(report(hosts, 6500), run(6900), 2);
    expect(path.firstServerMs).to.equal(1000);
    expect(path.serversMs).to.equal(5000);
    expect(path.agentsMs).to.equal(3000);
    expect(path.remoteMs).to.equal(1000 + Math.max(4000, 3000));
    expect(path.overheadMs).to.equal(6900 - 5000);
    expect(path.breakdown).to.deep.equal({ startupMs: 300, beforeStepsMs: 1000, betweenStepsMs: 0, afterStepsMs: 500, exitMs: 100 });
  });

  it('adds the agents after all servers when they waited for all servers', () => {
    const hosts = [host('s1', 'server', 0, 1000), host('a1', 'agent', 1000, 700)];
    expect(criticalPath(report(hosts, 1700), run(2100), 4, 'all-servers').remoteMs).to.equal(1700);
    // With agents longer than the joins, the agent branch is the critical one.
    const long = [host('s1', 'server', 0, 1000), host('s2', 'server', 1000, 500), host('a1', 'agent', 1000, 2000)];
    expect(criticalPath(report(long, 3000), run(3400), 4).remoteMs).to.equal(3000);
  });
});
