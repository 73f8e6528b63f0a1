// Benchmark 4, the no-op re-run: `fleet up` again on a converged lab must change nothing, fast.
import type { Lab } from '../test/lab/lab.js';
import { factsScript } from '../src/facts/facts-script.js';
import { countLogins, type ConnectionCount } from './connections.js';
import { fleetJson } from './support/fleet-cli.js';
import { timeRemote } from './support/remote-timing.js';
import { factsPhaseMs } from './support/run-log.js';
import type { UpReport } from './support/run-report.js';
import { spread, type Spread } from './support/stats.js';

export interface NoopResult {
  hosts: number;
  wall: Spread;
  /** From the run's start to the last host's facts, from fleet's run log. */
  factsPhase: Spread;
  /** On one converged agent over an open connection: the facts script, `k3s --version` alone, and `true`. */
  remote: Record<string, Spread>;
  changed: boolean;
  connections: ConnectionCount[];
}

export async function benchNoop(lab: Lab, concurrency: number, reps: number): Promise<NoopResult> {
  const walls: number[] = [];
  const facts: number[] = [];
  const connections: ConnectionCount[] = [];
  let changed = false;
  for (let i = 0; i < reps; i++) {
    const { result, count } = await countLogins(
      lab,
      `no-op up #${i + 1}, ${lab.hosts.length} hosts`,
      () => fleetJson<UpReport>(['up', lab.files.inventory, '--concurrency', String(concurrency)]),
      (r) => r.json.connections,
    );
    if (result.json.exitCode !== 0) throw new Error(`no-op fleet up exited ${result.json.exitCode}`);
    changed ||= result.json.changed;
    walls.push(result.run.wallMs);
    if (result.json.log) facts.push(factsPhaseMs(result.json.log));
    connections.push(count);
  }
  const wall = spread(walls);
  console.error(`no-op: ${lab.hosts.length} hosts, median ${Math.round(wall.median)} ms, changed ${changed}`);
  // Where a converged host's facts time goes: the lab's k3s stand-in is a Python script.
  const agent = lab.hosts[lab.hosts.length - 1]!.name;
  const remote = await timeRemote(
    lab,
    agent,
    { 'facts script': { command: 'sh -s', stdin: factsScript() }, 'k3s --version': { command: '/usr/local/bin/k3s --version' }, true: { command: 'true' } },
    5,
  );
  return { hosts: lab.hosts.length, wall, factsPhase: spread(facts.length ? facts : [Number.NaN]), remote, changed, connections };
}
