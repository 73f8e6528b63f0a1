// docs/performance.md from one run's results: every figure in it is one this run measured.
import type { DiskProbeBench } from './disk-probe.js';
import type { FanOutResult } from './fan-out.js';
import type { ScaleResult } from './scale.js';
import type { UpgradeBench } from './upgrade.js';
import type { Machine } from './support/machine.js';
import { formatSpread } from './support/stats.js';

export interface BenchResults {
  machine: Machine;
  durationMs: number;
  fanOut: FanOutResult;
  scale: ScaleResult;
  disk: DiskProbeBench;
  /** Benchmark 7 (fleet upgrade); absent in results from before it existed. */
  upgrade?: UpgradeBench;
  /** 1-minute load average when each benchmark started (other work on the machine shows here). */
  loadAtStart: Record<string, number>;
}

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const ms2 = (v: number): string => `${Math.round(v * 100) / 100}`;
const yes = (met: boolean): string => (met ? 'met' : '**missed**');

export function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const at30 = r.fanOut.rows.find((row) => row.hosts === 30);
  if (at30) out.push({ what: 'fan-out, 30 hosts: ansible-core / fleet', target: '≥ 5×', measured: `${at30.ansibleOverFleet}×`, met: at30.ansibleOverFleet >= 5 });
  for (const row of r.fanOut.rows) out.push({ what: `fan-out, ${row.hosts} hosts: fleet / raw ssh`, target: '≤ 2×', measured: `${row.fleetOverRaw}×`, met: row.fleetOverRaw <= 2 });
  for (const row of r.scale.up)
    out.push({
      what: `critical path, up of ${row.hosts} hosts: fleet overhead`,
      target: '< 10% of wall',
      measured: `${row.critical.overheadPct}% (${s(row.critical.overheadMs)} of ${s(row.wallMs)})${row.spread ? `; ${row.spread.overheadPct.min}–${row.spread.overheadPct.max}% over ${row.spread.overheadPct.runs} runs` : ''}`,
      met: row.critical.overheadPct < 10,
    });
  const perWave = r.scale.up.map((row) => row.spread?.agentPhasePerWaveMs.median ?? row.critical.agentPhaseMs / Math.max(1, row.critical.agentWaves));
  if (perWave.length > 1) {
    const growth = Math.max(...perWave) / Math.min(...perWave);
    out.push({
      what: 'scale: agent phase per wave across sizes (max / min of the medians)',
      target: '≤ 1.5× (grows with waves, not hosts)',
      measured: `${growth.toFixed(2)}× (${perWave.map((w) => s(w)).join(', ')})`,
      met: growth <= 1.5,
    });
  }
  // The part of the agent phase fleet controls: time beyond the agents' own installs, packed.
  const gap = Math.max(...r.scale.up.map((row) => row.critical.agentPhaseMs / Math.max(1, row.critical.agentsMs)));
  out.push({ what: "scale: agent phase as run / agents' own install times packed (fleet's scheduling gap)", target: '≤ 1.1×', measured: `${gap.toFixed(2)}× at worst`, met: gap <= 1.1 });
  const biggest = r.scale.controller.filter((c) => c.hosts === Math.max(...r.scale.controller.map((x) => x.hosts)));
  for (const c of biggest) out.push({ what: `controller peak RSS, ${c.command} on ${c.hosts} hosts`, target: '< 150 MB', measured: `${c.peakRssMb} MB`, met: c.peakRssMb < 150 });
  if (r.scale.noop)
    out.push({
      what: `no-op re-run, ${r.scale.noop.hosts} hosts (median)`,
      target: '< 3 s, nothing changed',
      measured: `${s(r.scale.noop.wall.median)}, changed: ${r.scale.noop.changed}`,
      met: r.scale.noop.wall.median < 3000 && !r.scale.noop.changed,
    });
  const offenders = r.scale.connections.filter((c) => c.minPerHost !== 1 || c.maxPerHost !== 1);
  out.push({
    what: 'SSH logins per host per run (sshd logs)',
    target: 'exactly 1',
    measured: offenders.length
      ? `${offenders.length} runs off: ${offenders.map((c) => `${c.run}: ${c.minPerHost}–${c.maxPerHost}`).join('; ')}`
      : `1 on every host in all ${r.scale.connections.length} runs`,
    met: offenders.length === 0,
  });
  for (const d of r.disk.python3VsFio.filter((x) => !x.disk.startsWith('fast'))) {
    out.push({
      what: `disk probe p99, python3 vs fio, ${d.disk}`,
      target: 'within 20%',
      measured: `${d.differencePct}% (${ms2(d.python3P99Ms)} vs ${ms2(d.fioP99Ms)} ms)`,
      met: d.differencePct <= 20,
    });
  }
  if (r.upgrade) out.push(upgradeTarget(r.upgrade));
  return out;
}

export function upgradeTarget(u: UpgradeBench): Target {
  return {
    what: `upgrade of ${u.hosts} hosts: wall / critical path of its remote steps`,
    target: '≤ 1.10×',
    measured: `${u.ratio.toFixed(2)}× (${s(u.wallMs)} / ${s(u.criticalPathMs)})`,
    met: u.ratio <= 1.1,
  };
}

/** Section 7 of docs/performance.md. */
export function renderUpgradeSection(u: UpgradeBench): string[] {
  return [
    `## 7. \`fleet upgrade\`: 3 servers + ${u.agents} agents, v1.31 → v1.32 (concurrency ${u.concurrency})`,
    '',
    'bench/upgrade.ts: a fresh lab, `fleet up` at v1.31.4, then `fleet upgrade` to v1.32.1 with the defaults',
    `(snapshot, cordon + drain, --max-unavailable 10% → ${u.maxUnavailable} agents at a time, ${u.batches} batches). The critical`,
    "path is the longest chain through the plan's dependsOn (`--dry-run --json`), each step weighted by its",
    'duration in the run report: snapshot, then the servers one after another, then the slowest agent of each batch.',
    '',
    '| hosts | wall | critical path | wall / path | snapshot | servers | agent batches | fleet up before |',
    '|---|---|---|---|---|---|---|---|',
    `| ${u.hosts} | ${s(u.wallMs)} | ${s(u.criticalPathMs)} | ${u.ratio.toFixed(2)}× | ${s(u.snapshotMs)} | ${s(u.serversMs)} | ${s(u.agentBatchesMs)} | ${s(u.upWallMs)} |`,
    '',
    `Wall beyond the critical path: ${s(u.overhead.beforeStepsMs)} before the first step (node start-up, facts from every host, the cluster view, the plan), ${s(u.overhead.betweenMs)} between steps, ${s(u.overhead.afterStepsMs)} after the last (report, exit).`,
    '',
    `Mean step time by action: ${Object.entries(u.meanStepMs)
      .map(([action, ms]) => `${action} ${s(ms)}`)
      .join(', ')}.`,
    '',
  ];
}

export function renderMarkdown(r: BenchResults, resultsFile: string, analysis: string): string {
  const m = r.machine;
  const lines: string[] = [
    '# Performance',
    '',
    'What fleet costs in waiting time, measured on the lab (docs/testing.md) by `npm run bench`',
    `(bench/run.ts). This page is written by the bench; the raw figures are in \`${resultsFile}\`.`,
    'Figures are min / **median** / max over the runs shown. The benchmarks assert nothing about',
    'speed: they measure and this page says which targets were met.',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| date | ${m.date} |`,
    `| CPU | ${m.nproc} × ${m.cpu} (\`nproc\` = ${m.nproc}) |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| kernel | ${m.kernel} |`,
    `| Node | ${m.node} |`,
    `| ansible | ${r.fanOut.ansibleVersion} (Debian ansible-core) |`,
    `| load average before (1, 5, 15 min) | ${m.loadBefore.join(', ')} |`,
    `| 1-min load at each benchmark's start | ${Object.entries(r.loadAtStart)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} |`,
    `| bench wall time | ${s(r.durationMs)} |`,
    '',
    'A load average above 2 means the bench shared the cores with other jobs (other test runs on the',
    'same machine), which slows every contender and the lab alike.',
    '',
    `**Read every figure with this in mind:** the lab's hosts (sshd, the K3s stand-in, real etcd),`,
    `the controller (fleet, ansible, ssh) and the sampling all share these ${m.nproc} cores. SSH handshakes`,
    'are CPU-bound here, so anything that runs many of them at once is measured against a busy',
    'machine, and the "remote" side of every step is slower than on real, separate hosts.',
    '',
    '## Targets',
    '',
    '| what | target | measured | |',
    '|---|---|---|---|',
    ...targets(r).map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${yes(t.met)} |`),
    '',
    '## 1. Fan-out: `true` on N hosts',
    '',
    '`fleet exec inv --json --concurrency C -- true` against `ansible all -i inv.ini -m command -a true -f N`',
    '(defaults: no fact gathering for ad hoc, no pipelining, ControlPersist with a fresh ControlPath per run',
    "so no run reuses another's connections) and the raw floor: one OpenSSH `ssh host true` per host, all",
    'at once. Each includes process start-up. Runs interleaved, first contender rotated.',
    '',
    '| hosts | fleet | ansible-core | raw ssh | ansible / fleet | fleet / raw |',
    '|---|---|---|---|---|---|',
    ...r.fanOut.rows.map(
      (row) =>
        `| ${row.hosts} (fleet C=${row.fleetConcurrency}, ansible -f ${row.ansibleForks}) | ${formatSpread(row.fleet)} | ${formatSpread(row.ansible)} | ${formatSpread(row.rawSsh)} | ${row.ansibleOverFleet}× | ${row.fleetOverRaw}× |`,
    ),
    '',
    `Runs per cell: ${r.fanOut.rows.map((row) => `${row.hosts} hosts: ${row.fleet.runs}`).join(', ')}.`,
    '',
    `## 2 and 3. \`fleet up\`: critical path and scale (3 servers + N agents, concurrency ${r.scale.concurrency})`,
    '',
    'Several runs per size, each on a fresh lab; a row shows the run with the median wall time, and',
    'the spread columns give min / median / max over all runs of that size. *Remote* is what K3s (here: the stand-in over real etcd) makes',
    'anyone wait for, read from the run report: the longest chain of steps that must follow one',
    "another. That is the first server's install + wait-ready, then the longer of two branches that run",
    "side by side: the other servers' install + wait-ready one at a time, and the agents' own install",
    'times packed into the concurrency slots with no gap (agents start once the first server is ready:',
    '`cluster.agentsWaitFor: first-server`, the default). Everything else is overhead: node start-up,',
    'facts + disk probe + plan before the first step, gaps, verify + kubeconfig after the last, exit.',
    '',
    '| hosts | wall, all runs | overhead, all runs | wall | remote (critical path) | remote: first server | remote: all servers | remote: agents (waves) | agent phase as run | mean agent install | overhead | start-up | facts+disk+plan | between steps | verify+kubeconfig | exit | server disk p99 (max) | peak RSS | max fds |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.scale.up.map((row) => {
      const c = row.critical;
      const b = c.breakdown;
      const spreadCells = row.spread
        ? `${formatSpread({ ...row.spread.wallMs, min: row.spread.wallMs.min / 1000, median: row.spread.wallMs.median / 1000, max: row.spread.wallMs.max / 1000 }, 's', 1)} (${row.spread.wallMs.runs}) | ${formatSpread(row.spread.overheadPct, '%', 1)}`
        : '– | –';
      return `| ${row.hosts} | ${spreadCells} | ${s(row.wallMs)} | ${s(c.remoteMs)} | ${c.firstServerMs === undefined ? '–' : s(c.firstServerMs)} | ${s(c.serversMs)} | ${s(c.agentsMs)} (${c.agentWaves}) | ${s(c.agentPhaseMs)} | ${s(row.agentInstallMeanMs)} | ${s(c.overheadMs)} = ${c.overheadPct}% | ${s(b.startupMs)} | ${s(b.beforeStepsMs)} | ${s(b.betweenStepsMs)} | ${s(b.afterStepsMs)} | ${s(b.exitMs)} | ${ms2(row.serverDiskP99MaxMs)} ms | ${row.peakRssMb} MB | ${row.maxFds} |`;
    }),
    '',
    '### Controller footprint',
    '',
    "Peak RSS is the fleet process's VmHWM and fds the most entries seen in /proc/PID/fd, sampled every",
    "20 ms while it ran. A 200-host `fleet up` does not fit the bench's time budget on 2 cores, so at 200",
    'hosts `fleet exec` (one connection and one command per host) and `fleet plan` (facts from every host,',
    'disk probe on the servers) stand in for it.',
    '',
    '| command | hosts | wall | peak RSS | max fds |',
    '|---|---|---|---|---|',
    ...r.scale.controller.map((c) => `| ${c.command} | ${c.hosts} | ${s(c.wallMs)} | ${c.peakRssMb} MB | ${c.maxFds} |`),
    '',
  ];
  if (r.scale.noop) {
    lines.push(
      `## 4. No-op re-run: \`fleet up\` again on the converged ${r.scale.noop.hosts}-host lab`,
      '',
      `${formatSpread(r.scale.noop.wall)} over ${r.scale.noop.wall.runs} runs; changed anything: ${r.scale.noop.changed}.`,
      `Of that, the facts phase (run start to the last host's facts, from fleet's run log): ${formatSpread(r.scale.noop.factsPhase)}.`,
      '',
      "What one converged agent's facts cost, timed over an open connection (no handshake), 5 runs each:",
      '',
      '| remote command | time |',
      '|---|---|',
      ...Object.entries(r.scale.noop.remote).map(([name, t]) => `| \`${name}\` | ${formatSpread(t)} |`),
      '',
    );
  }
  lines.push(
    '## 5. SSH connections per host per run',
    '',
    "Counted from each host's own sshd log (`Accepted publickey` lines added during the run), beside",
    "fleet's own counter (`connections` in its JSON).",
    '',
    "| run | hosts | logins per host (min–max) | fleet's counter |",
    '|---|---|---|---|',
    ...r.scale.connections.map((c) => `| ${c.run} | ${c.hosts} | ${c.minPerHost}–${c.maxPerHost}${c.offenders.length ? ` (${c.offenders.slice(0, 5).join(', ')})` : ''} | ${c.fleetCounter ?? '—'} |`),
    '',
    '## 6. Disk probe',
    '',
    'probeDiskLatency (playbooks/disk-probe.sh, default bounds: 300 writes or 20 s) on one host, over one',
    'SSH connection; wall is the whole call as the disk gate pays it. p99 of write + fdatasync.',
    '',
    '| disk | tool | wall | p99 | p50 | samples |',
    '|---|---|---|---|---|---|',
    ...r.disk.rows.map((d) => `| ${d.disk} | ${d.tool} | ${formatSpread(d.wall)} | ${formatSpread(d.p99Ms, 'ms', 2)} | ${formatSpread(d.p50Ms, 'ms', 2)} | ${d.samples} |`),
    '',
    ...r.disk.python3VsFio.map((d) => `- ${d.disk}: python3 p99 ${ms2(d.python3P99Ms)} ms vs fio ${ms2(d.fioP99Ms)} ms, ${d.differencePct}% apart.`),
    '',
    ...(r.upgrade ? renderUpgradeSection(r.upgrade) : []),
    '## What the figures say',
    '',
    analysis.trim(),
    '',
  );
  return lines.join('\n');
}
