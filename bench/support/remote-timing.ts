// Timing single commands on one lab host over one fleet connection (no handshake in the figure),
// to tell what a step's remote side costs apart from the SSH around it.
import type { Lab } from '../../test/lab/lab.js';
import { loadInventory } from '../../src/inventory/load.js';
import { ConnectionPool } from '../../src/ssh/pool.js';
import { spread, type Spread } from './stats.js';

export async function timeRemote(lab: Lab, host: string, commands: Record<string, { command: string; stdin?: string }>, reps: number): Promise<Record<string, Spread>> {
  const inventory = loadInventory(lab.files.inventory, { env: process.env });
  const pool = new ConnectionPool(inventory.hosts, { sshConfigText: '', agentSocket: null });
  const out: Record<string, Spread> = {};
  try {
    const transport = await pool.get(host);
    for (const [name, { command, stdin }] of Object.entries(commands)) {
      const times: number[] = [];
      for (let i = 0; i < reps; i++) {
        const started = performance.now();
        const result = await transport.exec(command, { sudo: true, stdin, timeoutMs: 30_000 });
        if (result.exitCode !== 0) throw new Error(`${command} on ${host} exited ${result.exitCode}: ${result.stderr.trim()}`);
        times.push(performance.now() - started);
      }
      out[name] = spread(times);
    }
  } finally {
    await pool.close();
  }
  return out;
}
