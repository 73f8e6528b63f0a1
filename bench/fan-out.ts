// Benchmark 1, fan-out: `true` on N lab hosts with fleet exec, ansible-core and raw OpenSSH
// (the floor), interleaved run by run so that drift on the shared machine hits all three alike.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../test/lab/lab.js';
import { renderInventory } from '../test/lab/inventory-file.js';
import { ansibleFanOut, ensureAnsible, writeIniInventory } from './support/ansible.js';
import { fleetJson } from './support/fleet-cli.js';
import { withLab } from './support/lab.js';
import { rawSshFanOut } from './support/openssh.js';
import { ratio, spread, type Spread } from './support/stats.js';

export interface FanOutRow {
  hosts: number;
  fleetConcurrency: number;
  ansibleForks: number;
  fleet: Spread;
  ansible: Spread;
  rawSsh: Spread;
  ansibleOverFleet: number;
  fleetOverRaw: number;
}

export interface FanOutResult {
  ansibleVersion: string;
  rows: FanOutRow[];
}

/** fleet's --concurrency stops at 50. */
const FLEET_MAX_CONCURRENCY = 50;

async function fleetExec(inventory: string, concurrency: number, hosts: number): Promise<number> {
  const { run, json } = await fleetJson<{ failed: string[]; hosts: unknown[] }>(['exec', inventory, '--concurrency', String(concurrency), '--', 'true']);
  if (run.code !== 0 || json.hosts.length !== hosts) throw new Error(`fleet exec: exit ${run.code}, failed ${json.failed.join(', ')}`);
  return run.wallMs;
}

async function measure(lab: Lab, n: number, reps: number): Promise<FanOutRow> {
  const hosts = lab.hosts.slice(0, n);
  const names = hosts.map((h) => h.name);
  const yaml = join(lab.dir, `bench-${n}.yaml`);
  writeFileSync(yaml, renderInventory(hosts));
  const ini = join(lab.dir, `bench-${n}.ini`);
  writeIniInventory(lab, names, ini);
  const concurrency = Math.min(n, FLEET_MAX_CONCURRENCY);
  const times = { fleet: [] as number[], ansible: [] as number[], raw: [] as number[] };
  const contenders: Array<[keyof typeof times, () => Promise<number>]> = [
    ['raw', () => rawSshFanOut(lab, names)],
    ['fleet', () => fleetExec(yaml, concurrency, n)],
    ['ansible', () => ansibleFanOut(ini, n, n)],
  ];
  for (let i = 0; i < reps; i++) {
    // Rotate who goes first, so no contender always runs right after the heaviest one.
    for (let j = 0; j < contenders.length; j++) {
      const [name, run] = contenders[(i + j) % contenders.length]!;
      times[name].push(await run());
    }
  }
  const row: FanOutRow = {
    hosts: n,
    fleetConcurrency: concurrency,
    ansibleForks: n,
    fleet: spread(times.fleet),
    ansible: spread(times.ansible),
    rawSsh: spread(times.raw),
    ansibleOverFleet: 0,
    fleetOverRaw: 0,
  };
  row.ansibleOverFleet = ratio(row.ansible.median, row.fleet.median);
  row.fleetOverRaw = ratio(row.fleet.median, row.rawSsh.median);
  console.error(`fan-out ${n}: fleet ${Math.round(row.fleet.median)} ms, ansible ${Math.round(row.ansible.median)} ms, raw ssh ${Math.round(row.rawSsh.median)} ms`);
  return row;
}

export async function benchFanOut(sizes: readonly number[], reps: number): Promise<FanOutResult> {
  const ansibleVersion = ensureAnsible();
  return withLab({ hosts: Math.max(...sizes) }, async (lab) => {
    const rows: FanOutRow[] = [];
    for (const n of sizes) rows.push(await measure(lab, n, reps));
    return { ansibleVersion, rows };
  });
}
