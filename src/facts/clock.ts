// The host's clock, read at the start and at the end of the facts script, to estimate its offset
// from this machine's clock. etcd and TLS both misbehave on skewed clocks.
import type { FactProbe } from './probe.js';

/**
 * Host time in milliseconds from `date +%s%N`. A date without %N (busybox, BSD) prints the
 * literal "N" or nothing after the seconds: those give whole seconds.
 */
export function parseHostClockMs(output: string): number | undefined {
  const match = /^(\d+)(N?)$/.exec(output.trim());
  if (!match) return undefined;
  const [, digits, literalN] = match as unknown as [string, string, string];
  // Seconds since 1970 have 10 digits until 2286; with %N nine more follow.
  if (literalN === 'N' || digits.length <= 12) return Number(digits) * 1000;
  return Number(digits.slice(0, -9)) * 1000 + Number(digits.slice(-9)) / 1e6;
}

/**
 * Host minus local clock, in ms. The host's two readings bracket the script; their midpoint is
 * compared with the midpoint of send and receive here, which cancels the script's own run time
 * and assumes the network delay is the same both ways.
 */
export function clockOffsetMs(host: { startMs: number; endMs: number }, local: { sentMs: number; receivedMs: number }): number {
  return Math.round((host.startMs + host.endMs) / 2 - (local.sentMs + local.receivedMs) / 2);
}

export const clockStartProbe: FactProbe<number | undefined> = {
  name: 'clock-start',
  script: 'date +%s%N',
  parse: parseHostClockMs,
};

export const clockEndProbe: FactProbe<number | undefined> = { ...clockStartProbe, name: 'clock-end' };
