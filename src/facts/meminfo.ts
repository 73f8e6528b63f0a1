// Total memory from /proc/meminfo (MemTotal, in kB = KiB).
import type { FactProbe } from './probe.js';

/** MemTotal in bytes; 0 when the line is missing. */
export function parseMemTotalBytes(output: string): number {
  const match = /^MemTotal:\s+(\d+)\s*kB/m.exec(output);
  return match ? Number(match[1]) * 1024 : 0;
}

export const meminfoProbe: FactProbe<number> = {
  name: 'meminfo',
  script: "grep '^MemTotal:' /proc/meminfo",
  parse: parseMemTotalBytes,
};
