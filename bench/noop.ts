// Benchmark 4, the no-op re-run: `fleet up` again on a converged lab must change nothing, fast.
import type { Lab } from '../test/lab/lab.js';
import { countLogins, type ConnectionCount } from './connections.js';
import { fleetJson } from './support/fleet-cli.js';
import type { UpReport } from './support/run-report.js';
import { spread, type Spread } from './support/stats.js';

export interface NoopResult {
  hosts: number;
  wall: Spread;
  changed: boolean;
  connections: ConnectionCount[];
}

export async function benchNoop(lab: Lab, concurrency: number, reps: number): Promise<NoopResult> {
  const walls: number[] = [];
  const connections: ConnectionCount[] = [];
  let changed = false;
  for (let i = 0; i < reps; i++) {
    const { result, count } = await countLogins(lab, `no-op up #${i + 1}, ${lab.hosts.length} hosts`, () =>
      fleetJson<UpReport>(['up', lab.files.inventory, '--concurrency', String(concurrency)]), (r) => r.json.connections);
    if (result.json.exitCode !== 0) throw new Error(`no-op fleet up exited ${result.json.exitCode}`);
    changed ||= result.json.changed;
    walls.push(result.run.wallMs);
    connections.push(count);
  }
  const wall = spread(walls);
  console.error(`no-op: ${lab.hosts.length} hosts, median ${Math.round(wall.median)} ms, changed ${changed}`);
  return { hosts: lab.hosts.length, wall, changed, connections };
}
