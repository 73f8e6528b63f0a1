// Benchmark 2, the critical path: what K3s itself makes a person wait for, taken from the remote
// step times of a `fleet up --json` report, against the wall time of the whole command. The rest is
// fleet's overhead, split by where in the run it falls. The path is the longest chain of steps
// that must follow one another: the first server ready, then — since agents need only that one
// server (cluster.agentsWaitFor: first-server, the default) — the longer of the other servers'
// joins one by one and the agents packed into `concurrency` slots; with all-servers, the joins
// and then the agents.
import type { UpReport } from './support/run-report.js';
import { stepEnd, stepStart } from './support/run-report.js';
import type { TimedRun } from './support/timing.js';

export interface CriticalPath {
  wallMs: number;
  /** Servers in the order they ran, each install + wait-ready. */
  serversMs: number;
  /** The first server's install + wait-ready: what every other step waits for. */
  firstServerMs: number;
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

export function criticalPath(report: UpReport, run: TimedRun, concurrency: number, agentsWaitFor: 'first-server' | 'all-servers' = 'first-server'): CriticalPath {
  const steps = report.hosts.flatMap((h) => h.steps.map((s) => ({ host: h, step: s })));
  if (steps.length === 0) throw new Error('critical path: the run report has no steps (was it a no-op?)');
  const servers = report.hosts.filter((h) => h.role === 'server');
  const hostMs = (h: UpReport['hosts'][number]) => h.steps.reduce((t, s) => t + s.durationMs, 0);
  const serversMs = servers.reduce((sum, h) => sum + hostMs(h), 0);
  const ran = servers.filter((h) => h.steps.length > 0).sort((a, b) => stepStart(a.steps[0]!) - stepStart(b.steps[0]!));
  const firstServerMs = ran.length > 0 ? hostMs(ran[0]!) : 0;
  const agents = report.hosts
    .filter((h) => h.role === 'agent' && h.steps.length > 0)
    .sort((a, b) => stepStart(a.steps[0]!) - stepStart(b.steps[0]!))
    .map((h) => h.steps.reduce((t, s) => t + s.durationMs, 0));
  const agentsMs = packedMakespan(agents, concurrency);
  const agentSteps = report.hosts.filter((h) => h.role === 'agent').flatMap((h) => h.steps);
  const agentPhaseMs = agentSteps.length ? Math.max(...agentSteps.map(stepEnd)) - Math.min(...agentSteps.map(stepStart)) : 0;
  const remoteMs = agentsWaitFor === 'all-servers' ? serversMs + agentsMs : firstServerMs + Math.max(serversMs - firstServerMs, agentsMs);
  const firstStep = Math.min(...steps.map(({ step }) => stepStart(step)));
  const lastStep = Math.max(...steps.map(({ step }) => stepEnd(step)));
  const reportStart = Date.parse(report.startedAt);
  const reportEnd = reportStart + report.durationMs;
  const overheadMs = run.wallMs - remoteMs;
  return {
    wallMs: run.wallMs,
    serversMs,
    firstServerMs,
    agentsMs,
    agentWaves: Math.ceil(agents.length / concurrency),
    agentPhaseMs,
    remoteMs,
    overheadMs,
    overheadPct: Math.round((overheadMs / run.wallMs) * 1000) / 10,
    breakdown: {
      startupMs: reportStart - run.startedAtMs,
      beforeStepsMs: firstStep - reportStart,
      // Time inside the step span that no step on the critical path accounts for.
      betweenStepsMs: lastStep - firstStep - remoteMs,
      afterStepsMs: reportEnd - lastStep,
      exitMs: run.startedAtMs + run.wallMs - reportEnd,
    },
  };
}
