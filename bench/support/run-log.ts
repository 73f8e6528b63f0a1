// fleet's JSON-lines run log (.fleet/<cluster>/logs/*.jsonl): when each host's first command
// (its facts script) ended tells how long the facts phase took.
import { readFileSync } from 'node:fs';

interface LogLine {
  time: number;
  host?: string;
  command?: string;
  msg?: string;
}

/** ms from "fleet up started" to the end of the last host's first command. */
export function factsPhaseMs(logFile: string): number {
  const lines = readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogLine);
  const start = lines.find((l) => l.msg?.endsWith('started'))?.time ?? lines[0]!.time;
  const firstByHost = new Map<string, number>();
  for (const l of lines) if (l.host && l.command !== undefined && !firstByHost.has(l.host)) firstByHost.set(l.host, l.time);
  return Math.max(0, ...[...firstByHost.values()].map((t) => t - start));
}
