// How `fleet plan` (without --dry-run) learns facts: one SSH connection per host through the
// shared pool, the read-only facts script on each and the disk probe on would-be new servers,
// exactly as `fleet up` gathers them, so the plan shown is the plan `up` would carry out.
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import type { Transport } from '../../ssh/transport.js';

export interface GatherForPlanOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** The plan's connections (one pool, opened with the same SSH flags as `fleet up`). */
  transportFor: (name: string) => Promise<Transport>;
}

export type FactsGatherer = (inventory: Inventory, options: GatherForPlanOptions) => Promise<FleetFacts>;

export const gatherFactsOverSsh: FactsGatherer = (inventory, options) =>
  gatherFleetFacts(inventory, { transportFor: options.transportFor, signal: options.signal }, { concurrency: options.concurrency });
