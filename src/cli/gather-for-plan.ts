// How `fleet plan` (without --dry-run) learns facts: one SSH connection per host through the
// shared pool, the read-only facts script on each, `concurrency` hosts at a time.
import type { FleetFacts } from '../facts/types.js';
import { gatherFacts } from '../facts/gather.js';
import type { Inventory } from '../inventory/types.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../ssh/pool.js';
import type { Transport } from '../ssh/transport.js';

export interface GatherForPlanOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Host-key policy, sudo password, timeouts: the same SSH flags as `fleet up`. */
  ssh?: ConnectionPoolOptions;
}

export type FactsGatherer = (inventory: Inventory, options: GatherForPlanOptions) => Promise<FleetFacts>;

export const gatherFactsOverSsh: FactsGatherer = async (inventory, options) => {
  const pool = new ConnectionPool(inventory.hosts, options.ssh);
  try {
    const transports = new Map(inventory.hosts.map((host) => [host.name, connectOnUse(pool, host.name)]));
    return await gatherFacts(transports, { concurrency: options.concurrency, signal: options.signal });
  } finally {
    await pool.close();
  }
};

/**
 * Connects on first use, so a host that cannot be reached becomes a fact, not a throw. A proxy
 * forwards every Transport method, so the wrapper follows the interface as it grows.
 */
function connectOnUse(pool: ConnectionPool, name: string): Transport {
  const forward = (method: string) => async (...args: unknown[]) => {
    const transport = (await pool.get(name)) as unknown as Record<string, (...params: unknown[]) => unknown>;
    return transport[method]!(...args);
  };
  return new Proxy({} as Transport, {
    get: (_target, property) => {
      if (property === 'host') return name;
      if (property === 'close') return async () => undefined;
      return typeof property === 'string' ? forward(property) : undefined;
    },
  });
}
