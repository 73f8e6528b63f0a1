// fio's JSON report → the fdatasync latency figures. fio ≥ 3.5 reports fdatasync latencies under
// jobs[0].sync.lat_ns (percentiles from its histogram, in nanoseconds).
import type { DiskLatency } from './types.js';

export type FioLatency = Omit<DiskLatency, 'directory'>;

interface FioSyncLatency {
  N?: number;
  percentile?: Record<string, number>;
}

/** Milliseconds with 2 decimals. */
export function nsToMs(ns: number): number {
  return Math.round(ns / 1e4) / 100;
}

export function parseFioReport(report: unknown): FioLatency | { error: string } {
  const job = (report as { jobs?: Array<{ error?: number; sync?: { lat_ns?: FioSyncLatency } }> })?.jobs?.[0];
  if (!job) return { error: 'fio report has no job' };
  if (job.error) return { error: `fio job failed with error ${job.error}` };
  const latency = job.sync?.lat_ns;
  const p99 = latency?.percentile?.['99.000000'];
  const p50 = latency?.percentile?.['50.000000'];
  if (!latency?.N || p99 === undefined || p50 === undefined) {
    return { error: 'fio reported no fdatasync latencies (fio 3.5 or newer is needed)' };
  }
  return { tool: 'fio', p99Ms: nsToMs(p99), p50Ms: nsToMs(p50), samples: latency.N };
}
