// Benchmark 6, the disk probe: what the disk gate costs per host on a fast disk and on a 30 ms
// SD-card-like disk, and how close the python3 fallback's p99 comes to fio's on the same disk.
import { probeDiskLatency } from '../src/facts/disk-probe.js';
import { loadInventory } from '../src/inventory/load.js';
import { ConnectionPool } from '../src/ssh/pool.js';
import { withLab } from './support/lab.js';
import { spread, type Spread } from './support/stats.js';

export interface ProbeRow {
  disk: string;
  slowDiskMs: number;
  tool: 'fio' | 'python3';
  wall: Spread;
  p99Ms: Spread;
  p50Ms: Spread;
  samples: number;
}

export interface DiskProbeBench {
  rows: ProbeRow[];
  /** |python3 p99 − fio p99| / fio p99, by disk, from the medians. */
  python3VsFio: Array<{ disk: string; fioP99Ms: number; python3P99Ms: number; differencePct: number }>;
}

const TOOLS = ['fio', 'python3'] as const;

export async function benchDiskProbe(slowMs: number, reps: { fast: number; slow: number }): Promise<DiskProbeBench> {
  return withLab({ hosts: 2, slowDisk: { h2: slowMs } }, async (lab) => {
    const inventory = loadInventory(lab.files.inventory, { env: process.env });
    const pool = new ConnectionPool(inventory.hosts, { sshConfigText: '', agentSocket: null });
    const rows: ProbeRow[] = [];
    try {
      for (const [host, disk, n] of [
        ['h1', "fast (lab disk on the machine's own filesystem, no added delay)", reps.fast],
        ['h2', `slow (${slowMs} ms per fsync, FUSE)`, reps.slow],
      ] as const) {
        const transport = await pool.get(host);
        const runs = { fio: [] as Array<{ wall: number; p99: number; p50: number; samples: number }>, python3: [] as Array<{ wall: number; p99: number; p50: number; samples: number }> };
        for (let i = 0; i < n; i++) {
          for (const tool of i % 2 === 0 ? TOOLS : [...TOOLS].reverse()) {
            const started = performance.now();
            const result = await probeDiskLatency(transport, { tool });
            const wall = performance.now() - started;
            if ('error' in result) throw new Error(`disk probe ${tool} on ${host}: ${result.error}`);
            runs[tool].push({ wall, p99: result.p99Ms, p50: result.p50Ms, samples: result.samples });
          }
        }
        for (const tool of TOOLS) {
          const r = runs[tool];
          rows.push({
            disk,
            slowDiskMs: host === 'h2' ? slowMs : 0,
            tool,
            wall: spread(r.map((x) => x.wall)),
            p99Ms: spread(r.map((x) => x.p99)),
            p50Ms: spread(r.map((x) => x.p50)),
            samples: Math.min(...r.map((x) => x.samples)),
          });
          console.error(`disk probe: ${host} ${tool} ${Math.round(rows.at(-1)!.wall.median)} ms, p99 ${rows.at(-1)!.p99Ms.median} ms`);
        }
      }
    } finally {
      await pool.close();
    }
    const python3VsFio = [...new Set(rows.map((r) => r.disk))].map((disk) => {
      const fio = rows.find((r) => r.disk === disk && r.tool === 'fio')!.p99Ms.median;
      const py = rows.find((r) => r.disk === disk && r.tool === 'python3')!.p99Ms.median;
      return { disk, fioP99Ms: fio, python3P99Ms: py, differencePct: Math.round((Math.abs(py - fio) / fio) * 1000) / 10 };
    });
    return { rows, python3VsFio };
  });
}
