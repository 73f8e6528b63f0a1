// The slice of `fleet up --json` the benchmarks read, derived from the declared report type
// (src/engine/report.ts), so a renamed or retyped field breaks the bench build, not its figures.
import type { HostReport, RunJsonReport, StepRecord } from '../../src/engine/report.js';

export type StepRow = Pick<StepRecord, 'name' | 'startedAt' | 'durationMs'>;

export type HostRow = Pick<HostReport, 'name' | 'role' | 'diskP99Ms'> & {
  /** HostReport['outcome'], read as text. */
  outcome: string;
  steps: StepRow[];
};

export type UpReport = Pick<RunJsonReport, 'startedAt' | 'durationMs' | 'exitCode' | 'changed'> &
  Partial<Pick<RunJsonReport, 'connections' | 'log'>> & {
    hosts: HostRow[];
  };

export const stepStart = (s: StepRow): number => Date.parse(s.startedAt);
export const stepEnd = (s: StepRow): number => Date.parse(s.startedAt) + s.durationMs;
