// What `fleet plan`, `fleet up` and `fleet add-node` share before anything changes: gather facts
// once, find a live, healthy server, and plan with both. One function, so the plan a person reads
// is the plan a run executes.
import { InterruptedError } from '../../errors.js';
import type { DiskProbeOptions } from '../../facts/disk-probe.js';
import { tokenFingerprint } from '../../facts/k3s-config.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { plan as makePlan, type PlanOptions } from './plan.js';
import type { Plan } from './types.js';
import { statePaths } from '../../state/state-paths.js';
import { readStoredToken } from '../../token/store.js';
import { gatherFleetFacts, type FleetFactsDeps } from '../../facts/gather-fleet.js';
import { findLiveServer, type HealthyMember } from '../../facts/live-server.js';

export interface GatheredPlan {
  facts: FleetFacts;
  /** The live, healthy member the plan was made against (new servers join it). */
  live?: HealthyMember;
  plan: Plan;
}

export interface GatherAndPlanOptions {
  concurrency: number;
  diskProbe?: DiskProbeOptions;
  /** Only these hosts get the disk probe (add-node: the hosts it adds); default: every candidate. */
  measureDisksOn?: string[];
  /** Facts the caller gathered already (add-node), or its own gatherer (fleet plan's injectable one). */
  facts?: FleetFacts;
  gather?: () => Promise<FleetFacts>;
  /** Checked between facts and the plan (fleet plan refuses to plan around an unreachable host). */
  checkFacts?: (facts: FleetFacts) => void;
  planOptions?: Pick<PlanOptions, 'addNode' | 'restoreFrom'>;
}

export async function gatherAndPlan(inventory: Inventory, deps: FleetFactsDeps, options: GatherAndPlanOptions): Promise<GatheredPlan> {
  const facts = options.facts
    ? options.facts
    : options.gather
      ? await options.gather()
      : await gatherFleetFacts(inventory, deps, { concurrency: options.concurrency, diskProbe: options.diskProbe, ...(options.measureDisksOn ? { measureDisksOn: options.measureDisksOn } : {}) });
  if (deps.signal?.aborted) throw new InterruptedError('interrupted while gathering facts; nothing was changed');
  options.checkFacts?.(facts);
  const live = await findLiveServer(
    inventory.hosts.map((h) => h.name),
    facts,
    deps.transportFor,
  );
  const stored = inventory.cluster.token === undefined ? readStoredToken(statePaths(inventory).token) : undefined;
  const plan = makePlan(inventory, facts, {
    ...(live ? { view: live.view } : {}),
    ...(stored ? { storedTokenFingerprint: tokenFingerprint(stored) } : {}),
    ...options.planOptions,
  });
  return { facts, ...(live ? { live } : {}), plan };
}
