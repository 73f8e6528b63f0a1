// The record of one run: every host's outcome and the timing of each of its steps. It is what
// `fleet up --json` prints and what the benchmarks read.
import type { StepRun } from './step.js';
import { InterruptedError } from '../errors.js';

export type HostOutcome = 'changed' | 'unchanged' | 'failed' | 'skipped';

export interface StepRecord {
  name: string;
  startedAt: string;
  durationMs: number;
  /** Remote exit code of the step's main command; null when it did not run one or was killed. */
  exitCode: number | null;
  /** What the step changed, e.g. "config install"; "none" when it found nothing to do. */
  changed?: string;
  error?: string;
}

export interface HostReport {
  name: string;
  role: 'server' | 'agent';
  arch?: string;
  outcome: HostOutcome;
  diskP99Ms?: number;
  diskSamples?: number;
  error?: string;
  steps: StepRecord[];
}

export interface RunReport {
  command: string;
  cluster: string;
  startedAt: string;
  durationMs: number;
  /** 0 ok, 1 some host failed, 3 refused, 130 interrupted: the process exit code. */
  exitCode: number;
  changed: boolean;
  hosts: HostReport[];
  warnings: string[];
  /** Steps that were planned and never started (failure or interruption). */
  notStarted: string[];
  kubeconfig?: string;
  /** Changes to the cluster itself, beyond installs (stale etcd members removed). */
  clusterChanges?: string[];
  /** The plan's steps as the engine ran them: same ids as `fleet plan --json`, outcome and times. */
  steps?: StepRun[];
}

/** What `fleet up --json` / `fleet add-node --json` print: the report, the run log and connections. */
export type RunJsonReport = RunReport & {
  /** The run's JSON-lines log. */
  log: string;
  /** SSH connections the run opened. */
  connections: number;
};

/** Collects step timings as they happen; the clock is injectable so tests stay exact. */
export class ReportRecorder {
  private readonly hosts = new Map<string, HostReport>();
  readonly warnings: string[] = [];
  readonly notStarted: string[] = [];
  private readonly started: number;

  constructor(
    private readonly command: string,
    private readonly cluster: string,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  host(name: string, role: 'server' | 'agent'): HostReport {
    let report = this.hosts.get(name);
    if (!report) {
      report = { name, role, outcome: 'unchanged', steps: [] };
      this.hosts.set(name, report);
    }
    return report;
  }

  /** Time `fn` as step `name` of `host`; a thrown error marks the host failed and is rethrown. */
  async step<T extends { exitCode?: number | null; changed?: string } | void>(host: HostReport, name: string, fn: () => Promise<T>): Promise<T> {
    const startMs = this.now();
    const record: StepRecord = { name, startedAt: new Date(startMs).toISOString(), durationMs: 0, exitCode: null };
    host.steps.push(record);
    try {
      const result = await fn();
      if (result && typeof result === 'object') {
        if (result.exitCode !== undefined) record.exitCode = result.exitCode;
        if (result.changed !== undefined) {
          record.changed = result.changed;
          if (result.changed !== 'none' && host.outcome === 'unchanged') host.outcome = 'changed';
        }
      }
      return result;
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
      // Ctrl-C stopped the step (a wait, never a running install): the host did not fail.
      if (err instanceof InterruptedError) throw err;
      const exitCode = (err as { remoteExitCode?: number | null }).remoteExitCode;
      if (exitCode !== undefined) record.exitCode = exitCode;
      host.outcome = 'failed';
      host.error ??= record.error;
      throw err;
    } finally {
      record.durationMs = Math.round(this.now() - startMs);
    }
  }

  fail(host: HostReport, error: string): void {
    host.outcome = 'failed';
    host.error ??= error;
  }

  finish(exitCode: number, extra: { kubeconfig?: string; clusterChanges?: string[] } = {}): RunReport {
    const hosts = [...this.hosts.values()];
    // A host the run never reached is not "unchanged": nobody looked at it.
    for (const host of hosts) if (host.outcome === 'unchanged' && this.notStarted.includes(host.name)) host.outcome = 'skipped';
    const report: RunReport = {
      command: this.command,
      cluster: this.cluster,
      startedAt: new Date(this.started).toISOString(),
      durationMs: Math.round(this.now() - this.started),
      exitCode,
      changed: hosts.some((h) => h.outcome === 'changed'),
      hosts,
      warnings: this.warnings,
      notStarted: this.notStarted,
    };
    if (extra.kubeconfig) report.kubeconfig = extra.kubeconfig;
    if (extra.clusterChanges) {
      report.clusterChanges = extra.clusterChanges;
      report.changed = true;
    }
    return report;
  }
}
