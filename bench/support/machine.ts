// What the figures were measured on: they mean little without it.
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  loadBefore: number[];
}

export function machine(): Machine {
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    loadBefore: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
