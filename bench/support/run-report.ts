// The slice of `fleet up --json` the benchmarks read (src/exec/run-report.ts has the whole).
export interface StepRow {
  name: string;
  startedAt: string;
  durationMs: number;
}

export interface HostRow {
  name: string;
  role: 'server' | 'agent';
  outcome: string;
  diskP99Ms?: number;
  steps: StepRow[];
}

export interface UpReport {
  startedAt: string;
  durationMs: number;
  exitCode: number;
  changed: boolean;
  hosts: HostRow[];
  connections?: number;
  /** The run's JSON-lines log. */
  log?: string;
}

export const stepStart = (s: StepRow): number => Date.parse(s.startedAt);
export const stepEnd = (s: StepRow): number => Date.parse(s.startedAt) + s.durationMs;
