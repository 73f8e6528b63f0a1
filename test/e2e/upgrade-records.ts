// What an upgrade did, read from outside fleet: the stand-in's and the lab systemctl's own records
// in each host's /var/log/k3s-standin/events.log, and an etcd writer running beside the upgrade.
import type { Lab } from '../lab/lab.js';

export interface LabEvent {
  at: number;
  host: string;
  words: string[];
}

/** Every host's events since `since` (epoch seconds), in time order. */
export async function eventsSince(lab: Lab, hosts: string[], since: number): Promise<LabEvent[]> {
  const all: LabEvent[] = [];
  for (const host of hosts) {
    const text = await lab.ssh(host, 'cat /var/log/k3s-standin/events.log');
    for (const line of text.trim().split('\n')) {
      const [stamp, ...words] = line.split(' ');
      if (Number(stamp) >= since) all.push({ at: Number(stamp), host, words });
    }
  }
  return all.sort((a, b) => a.at - b.at);
}

/** Periods each server's k3s (and its etcd) was down: from a stop or an exit to the next ready. */
export function serverDownPeriods(events: LabEvent[], servers: string[]): Array<{ host: string; from: number; to: number }> {
  const periods: Array<{ host: string; from: number; to: number }> = [];
  for (const host of servers) {
    let downSince: number | undefined;
    for (const event of events.filter((e) => e.host === host && e.words[1] === 'k3s')) {
      if ((event.words[0] === 'stopped' || event.words[0] === 'exit') && downSince === undefined) downSince = event.at;
      if (event.words[0] === 'ready' && downSince !== undefined) {
        periods.push({ host, from: downSince, to: event.at });
        downSince = undefined;
      }
    }
    if (downSince !== undefined) periods.push({ host, from: downSince, to: Infinity });
  }
  return periods;
}

/** The most servers down at one moment. */
export function mostServersDownAtOnce(periods: Array<{ from: number; to: number }>): number {
  let most = 0;
  for (const period of periods) most = Math.max(most, periods.filter((p) => p.from <= period.from && period.from < p.to).length);
  return most;
}

/** The most of `nodes` cordoned at one moment, from the API servers' cordon/uncordon records. */
export function mostCordonedAtOnce(events: LabEvent[], nodes: string[]): number {
  const cordoned = new Set<string>();
  let most = 0;
  for (const event of events) {
    const [word, node] = event.words;
    if (!node || !nodes.includes(node)) continue;
    if (word === 'cordon') cordoned.add(node);
    if (word === 'uncordon') cordoned.delete(node);
    most = Math.max(most, cordoned.size);
  }
  return most;
}

/** The first moment anything touched one of `agents`: a cordon, an install, a stop. */
export function firstAgentTouch(events: LabEvent[], agents: string[]): number {
  const touches = events.filter((e) => (agents.includes(e.host) && ['install', 'stopped', 'start'].includes(e.words[0]!)) || (e.words[0] === 'cordon' && agents.includes(e.words[1]!)));
  return touches.length > 0 ? touches[0]!.at : Infinity;
}

/** Hosts with an install, a stop or a start in `events`. */
export function hostsRestartedOrInstalled(events: LabEvent[]): string[] {
  return [...new Set(events.filter((e) => ['install', 'stopped', 'start'].includes(e.words[0]!)).map((e) => e.host))].sort();
}

/**
 * Puts a key every `periodMs` through whichever etcd member answers (etcd's JSON gateway), and
 * records each success; the longest gap between two successes is how long writes were refused.
 */
export class EtcdWriter {
  private readonly successes: number[] = [];
  private failures = 0;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly endpoints: string[],
    private readonly periodMs = 200,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<{ longestGapMs: number; writes: number; failures: number }> {
    this.stopped = true;
    await this.running;
    let longest = 0;
    for (let i = 1; i < this.successes.length; i++) longest = Math.max(longest, this.successes[i]! - this.successes[i - 1]!);
    return { longestGapMs: longest, writes: this.successes.length, failures: this.failures };
  }

  private async loop(): Promise<void> {
    let n = 0;
    let preferred = 0;
    while (!this.stopped) {
      const started = Date.now();
      const body = JSON.stringify({ key: Buffer.from('/upgrade-writer').toString('base64'), value: Buffer.from(String(n++)).toString('base64') });
      let ok = false;
      for (let i = 0; i < this.endpoints.length && !ok; i++) {
        const endpoint = this.endpoints[(preferred + i) % this.endpoints.length]!;
        try {
          const response = await fetch(`${endpoint}/v3/kv/put`, { method: 'POST', body, signal: AbortSignal.timeout(1000) });
          const answer = (await response.json()) as { error?: string; header?: unknown };
          ok = response.ok && answer.header !== undefined && answer.error === undefined;
          if (ok) preferred = (preferred + i) % this.endpoints.length;
        } catch {
          // That member is down or has no leader: try the next one.
        }
      }
      if (ok) this.successes.push(Date.now());
      else this.failures++;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.periodMs - (Date.now() - started))));
    }
  }
}
