// Benchmark 2, the critical path: what K3s itself makes a person wait for (first server ready,
// each joining server alone, the agents through `concurrency` slots), taken from the remote step
// times of a `fleet up --json` report, against the wall time of the whole command. The rest is
// fleet's overhead, split by where in the run it falls.
import type { UpReport } from './support/run-report.js';
import { stepEnd, stepStart } from './support/run-report.js';
import type { TimedRun } from './support/timing.js';

export interface CriticalPath {
  wallMs: number;
  /** Servers in the order they ran, each install + wait-ready. */
  serversMs: number;
  /** The agents' own durations packed into `concurrency` slots with no gap: their floor. */
  agentsMs: number;
  agentWaves: number;
  /** Wall time of the agent phase as it ran (first agent start to last agent end). */
  agentPhaseMs: number;
  remoteMs: number;
  overheadMs: number;
  overheadPct: number;
  /** Where the overhead is: node start-up; facts, disk probe and plan; gaps between steps; verify and kubeconfig; exit. */
  breakdown: { startupMs: number; beforeStepsMs: number; betweenStepsMs: number; afterStepsMs: number; exitMs: number };
}

/** Makespan of these durations started in order on `slots` parallel workers. */
export function packedMakespan(durations: readonly number[], slots: number): number {
  const free = new Array<number>(Math.max(1, slots)).fill(0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i] = free[i]! + d;
  }
  return Math.max(0, ...free);
}

export function criticalPath(report: UpReport, run: TimedRun, concurrency: number): CriticalPath {
  const steps = report.hosts.flatMap((h) => h.steps.map((s) => ({ host: h, step: s })));
  if (steps.length === 0) throw new Error('critical path: the run report has no steps (was it a no-op?)');
  const servers = report.hosts.filter((h) => h.role === 'server');
  const serversMs = servers.reduce((sum, h) => sum + h.steps.reduce((t, s) => t + s.durationMs, 0), 0);
  const agents = report.hosts
    .filter((h) => h.role === 'agent' && h.steps.length > 0)
    .sort((a, b) => stepStart(a.steps[0]!) - stepStart(b.steps[0]!))
    .map((h) => h.steps.reduce((t, s) => t + s.durationMs, 0));
  const agentsMs = packedMakespan(agents, concurrency);
  const agentSteps = report.hosts.filter((h) => h.role === 'agent').flatMap((h) => h.steps);
  const agentPhaseMs = agentSteps.length ? Math.max(...agentSteps.map(stepEnd)) - Math.min(...agentSteps.map(stepStart)) : 0;
  const remoteMs = serversMs + agentsMs;
  const firstStep = Math.min(...steps.map(({ step }) => stepStart(step)));
  const lastStep = Math.max(...steps.map(({ step }) => stepEnd(step)));
  const reportStart = Date.parse(report.startedAt);
  const reportEnd = reportStart + report.durationMs;
  const overheadMs = run.wallMs - remoteMs;
  return {
    wallMs: run.wallMs,
    serversMs,
    agentsMs,
    agentWaves: Math.ceil(agents.length / concurrency),
    agentPhaseMs,
    remoteMs,
    overheadMs,
    overheadPct: Math.round((overheadMs / run.wallMs) * 1000) / 10,
    breakdown: {
      startupMs: reportStart - run.startedAtMs,
      beforeStepsMs: firstStep - reportStart,
      betweenStepsMs: lastStep - firstStep - remoteMs,
      afterStepsMs: reportEnd - lastStep,
      exitMs: run.startedAtMs + run.wallMs - reportEnd,
    },
  };
}
