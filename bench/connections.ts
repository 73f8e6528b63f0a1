// Benchmark 5, connections: logins each host's sshd accepted during one fleet run, counted from
// the hosts' own sshd logs (fleet's own counter is reported beside it, not trusted alone).
import type { Lab } from '../test/lab/lab.js';
import { acceptedLogins, loginsSince } from './support/lab.js';

export interface ConnectionCount {
  run: string;
  hosts: number;
  /** Fewest and most sshd logins seen on one host. */
  minPerHost: number;
  maxPerHost: number;
  /** Hosts that did not see exactly one login. */
  offenders: string[];
  fleetCounter?: number;
}

/** Runs `fn` and counts the logins it caused on every host of the lab. */
export async function countLogins<T>(lab: Lab, run: string, fn: () => Promise<T>, fleetCounter?: (result: T) => number | undefined): Promise<{ result: T; count: ConnectionCount }> {
  const before = acceptedLogins(lab);
  const result = await fn();
  // sshd writes its log line a moment after the login; the run has long ended by then, but be sure.
  await new Promise((r) => setTimeout(r, 200));
  const per = loginsSince(before, acceptedLogins(lab));
  const values = [...per.values()];
  const count: ConnectionCount = {
    run,
    hosts: per.size,
    minPerHost: Math.min(...values),
    maxPerHost: Math.max(...values),
    offenders: [...per].filter(([, n]) => n !== 1).map(([h, n]) => `${h}=${n}`),
  };
  const counter = fleetCounter?.(result);
  if (counter !== undefined) count.fleetCounter = counter;
  return { result, count };
}
