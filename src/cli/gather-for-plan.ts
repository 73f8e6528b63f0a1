// How `fleet plan` (without --dry-run) learns facts: one SSH connection per host through the
// shared pool, the read-only facts script on each and the disk probe on would-be new servers,
// exactly as `fleet up` gathers them, so the plan shown is the plan `up` would carry out.
import { gatherFleetFacts } from '../exec/gather-fleet-facts.js';
import type { FleetFacts } from '../facts/types.js';
import type { Inventory } from '../inventory/types.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../ssh/pool.js';

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
    return await gatherFleetFacts(inventory, { transportFor: (name) => pool.get(name), signal: options.signal }, { concurrency: options.concurrency });
  } finally {
    await pool.close();
  }
};
