// Benchmark 3, scale: `fleet up` of 3 servers + 10, 50, 100 agents at concurrency 20 on fresh labs,
// with the controller's peak RSS and descriptors; the critical path (2), the no-op re-run (4) and
// the login counts (5) come from the same labs, so each lab is built once. At 200 hosts a full
// `up` does not fit the time budget, so `fleet exec` and `fleet plan` stand in for it there.
import type { Lab } from '../test/lab/lab.js';
import { countLogins, type ConnectionCount } from './connections.js';
import { criticalPath, type CriticalPath } from './critical-path.js';
import { benchNoop, type NoopResult } from './noop.js';
import { fleetJson } from './support/fleet-cli.js';
import { hostCount, withLab } from './support/lab.js';
import type { UpReport } from './support/run-report.js';
import type { TimedRun } from './support/timing.js';
import { spread, type Spread } from './support/stats.js';

export interface UpRow {
  agents: number;
  hosts: number;
  wallMs: number;
  exitCode: number;
  peakRssMb: number;
  maxFds: number;
  /** Slowest server disk the gate measured during this run (the probe overlaps other hosts' facts). */
  serverDiskP99MaxMs: number;
  /** Mean of the agents' install steps: it grows when the 2 cores carry more running hosts. */
  agentInstallMeanMs: number;
  critical: CriticalPath;
  /** Over every run of this size (the row's other figures are from the run with the median wall). */
  spread?: { wallMs: Spread; overheadPct: Spread; agentPhasePerWaveMs: Spread };
}

export interface ControllerRow {
  command: string;
  hosts: number;
  wallMs: number;
  peakRssMb: number;
  maxFds: number;
}

export interface ScaleResult {
  concurrency: number;
  up: UpRow[];
  controller: ControllerRow[];
  noop?: NoopResult;
  connections: ConnectionCount[];
}

const mb = (kb: number): number => Math.round(kb / 102.4) / 10;

async function upOnce(lab: Lab, agents: number, concurrency: number, connections: ConnectionCount[]): Promise<UpRow> {
  const { result, count } = await countLogins(
    lab,
    `up, ${lab.hosts.length} hosts`,
    () => fleetJson<UpReport>(['up', lab.files.inventory, '--concurrency', String(concurrency)], 600_000),
    (r) => r.json.connections,
  );
  connections.push(count);
  const { run, json } = result;
  if (json.exitCode !== 0) throw new Error(`fleet up of ${lab.hosts.length} hosts exited ${json.exitCode}:\n${run.stderr.slice(-2000)}`);
  const installs = json.hosts.filter((h) => h.role === 'agent').flatMap((h) => h.steps.map((s) => s.durationMs));
  const row: UpRow = {
    agents,
    hosts: lab.hosts.length,
    wallMs: run.wallMs,
    exitCode: json.exitCode,
    peakRssMb: mb(run.peakRssKb),
    maxFds: run.maxFds,
    serverDiskP99MaxMs: Math.max(0, ...json.hosts.filter((h) => h.role === 'server').map((h) => h.diskP99Ms ?? 0)),
    agentInstallMeanMs: installs.length ? installs.reduce((a, b) => a + b, 0) / installs.length : 0,
    critical: criticalPath(json, run, concurrency),
  };
  console.error(`scale: up of ${row.hosts} hosts ${Math.round(row.wallMs)} ms (remote ${Math.round(row.critical.remoteMs)} ms), ${row.peakRssMb} MB, ${row.maxFds} fds`);
  return row;
}

function controllerRow(command: string, hosts: number, run: TimedRun): ControllerRow {
  if (run.code !== 0) throw new Error(`fleet ${command} on ${hosts} hosts exited ${run.code}:\n${run.stderr.slice(-2000)}`);
  console.error(`scale: ${command} on ${hosts} hosts ${Math.round(run.wallMs)} ms, ${mb(run.peakRssKb)} MB, ${run.maxFds} fds`);
  return { command, hosts, wallMs: run.wallMs, peakRssMb: mb(run.peakRssKb), maxFds: run.maxFds };
}

export async function benchScale(agentCounts: readonly number[], options: { concurrency: number; upReps: number; noopAgents: number; noopReps: number; bigHosts: number }): Promise<ScaleResult> {
  const { concurrency } = options;
  const result: ScaleResult = { concurrency, up: [], controller: [], connections: [] };
  for (const agents of agentCounts) {
    // Each run needs a fresh lab (an up from scratch); the row shows the median run, with spreads.
    const rows: UpRow[] = [];
    for (let rep = 0; rep < options.upReps; rep++) {
      await withLab({ hosts: hostCount(agents) }, async (lab) => {
        const row = await upOnce(lab, agents, concurrency, result.connections);
        rows.push(row);
        result.controller.push({ command: 'up', hosts: row.hosts, wallMs: row.wallMs, peakRssMb: row.peakRssMb, maxFds: row.maxFds });
        if (agents === options.noopAgents && rep === options.upReps - 1) {
          result.noop = await benchNoop(lab, concurrency, options.noopReps);
          result.connections.push(...result.noop.connections);
        }
      });
    }
    const byWall = [...rows].sort((a, b) => a.wallMs - b.wallMs);
    const median = byWall[Math.floor((byWall.length - 1) / 2)]!;
    median.spread = {
      wallMs: spread(rows.map((r) => r.wallMs)),
      overheadPct: spread(rows.map((r) => r.critical.overheadPct)),
      agentPhasePerWaveMs: spread(rows.map((r) => r.critical.agentPhaseMs / Math.max(1, r.critical.agentWaves))),
    };
    result.up.push(median);
  }
  await withLab({ hosts: options.bigHosts }, async (lab) => {
    const exec = await countLogins(
      lab,
      `exec, ${options.bigHosts} hosts`,
      () => fleetJson<{ connections: number }>(['exec', lab.files.inventory, '--concurrency', '50', '--', 'true']),
      (r) => r.json.connections,
    );
    result.connections.push(exec.count);
    result.controller.push(controllerRow('exec', options.bigHosts, exec.result.run));
    const plan = await countLogins(lab, `plan, ${options.bigHosts} hosts`, () => fleetJson<unknown>(['plan', lab.files.inventory, '--concurrency', '50']));
    result.connections.push(plan.count);
    result.controller.push(controllerRow('plan', options.bigHosts, plan.result.run));
  });
  return result;
}
