// The report of an operation that ran on the engine (remove-node, reset): the RunReport shape
// every command prints with --json, built from the step runs, plus the operation's own details.
import type { StepRun } from './step.js';
import { ExitCode } from '../errors.js';
import type { HostOutcome, HostReport, RunReport } from './report.js';
import { textTable } from '../util/text-table.js';

export function hostsFromSteps(runs: StepRun[], roles: Map<string, 'server' | 'agent'>): HostReport[] {
  const hosts = new Map<string, HostReport>();
  for (const run of runs) {
    if (!roles.has(run.host)) continue;
    let host = hosts.get(run.host);
    if (!host) {
      host = { name: run.host, role: roles.get(run.host)!, outcome: 'skipped', steps: [] };
      hosts.set(run.host, host);
    }
    if (run.outcome !== 'not-started') {
      host.steps.push({
        name: run.action,
        startedAt: run.startedAt ?? '',
        durationMs: run.durationMs ?? 0,
        exitCode: null,
        ...(run.changed ? { changed: run.changed } : {}),
        ...(run.error ? { error: run.error } : {}),
      });
    }
    host.outcome = combine(host.outcome, run.outcome === 'not-started' ? (host.steps.length > 0 ? host.outcome : 'skipped') : run.outcome);
    if (run.outcome === 'failed') host.error ??= run.error;
  }
  return [...hosts.values()];
}

const RANK: Record<HostOutcome, number> = { skipped: 0, unchanged: 1, changed: 2, failed: 3 };
function combine(a: HostOutcome, b: HostOutcome): HostOutcome {
  return RANK[b] > RANK[a] ? b : a;
}

export interface StepReportInput {
  command: string;
  cluster: string;
  startedAt: number;
  now: number;
  runs: StepRun[];
  roles: Map<string, 'server' | 'agent'>;
  warnings: string[];
  /** Hosts the operation could not touch at all (unreachable): the run fails for them. */
  untouched?: string[];
  interrupted: boolean;
}

export function stepReport(input: StepReportInput): RunReport {
  const hosts = hostsFromSteps(input.runs, input.roles);
  const failed = input.runs.some((r) => r.outcome === 'failed') || (input.untouched?.length ?? 0) > 0;
  const exitCode = input.interrupted ? ExitCode.interrupted : failed ? ExitCode.hostFailed : ExitCode.ok;
  return {
    command: input.command,
    cluster: input.cluster,
    startedAt: new Date(input.startedAt).toISOString(),
    durationMs: Math.round(input.now - input.startedAt),
    exitCode,
    changed: input.runs.some((r) => r.outcome === 'changed'),
    hosts,
    warnings: input.warnings,
    notStarted: [...new Set(input.runs.filter((r) => r.outcome === 'not-started').map((r) => r.id))],
    steps: input.runs,
  };
}

/** One line per step, for people: id, outcome, what changed or why it failed, time. */
export function renderStepRuns(runs: StepRun[]): string {
  const rows = [['STEP', 'OUTCOME', 'TIME', 'DETAIL']];
  for (const run of runs) {
    rows.push([run.id, run.outcome, run.durationMs !== undefined ? `${(run.durationMs / 1000).toFixed(1)}s` : '-', (run.error ?? run.changed ?? '').split('\n')[0]!]);
  }
  return textTable(rows);
}
