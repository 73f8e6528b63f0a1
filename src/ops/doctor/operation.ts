// doctor's runner: facts from every host (one round trip each, hosts down are data), the disk
// probe again on every server or would-be server, then the pure judging (plan.ts). Read-only but
// for the probe's few hundred KB in a temporary directory it removes.
import PQueue from 'p-queue';
import { probeDiskLatency } from '../../facts/disk-probe.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { selectServers } from '../../rules/select-servers.js';
import type { OperationDeps } from '../operation-deps.js';
import { judge } from './plan.js';
import type { DoctorReport } from './types.js';

export interface DoctorOptions {
  /** Hosts worked on at once (facts: at least 20, as every command gathers them). */
  concurrency: number;
}

/**
 * The servers, as `up` would choose them; a fleet `up` would refuse (an even count, an agent with
 * etcd data) still gets its servers and explicit servers judged, since doctor reports, never refuses.
 */
export function doctorServers(inventory: Inventory, facts: FleetFacts): string[] {
  try {
    return selectServers(inventory, facts).servers.map((h) => h.name);
  } catch {
    return inventory.hosts.filter((h) => h.role === 'server' || facts.get(h.name)?.k3s.etcdData || facts.get(h.name)?.k3s.role === 'server').map((h) => h.name);
  }
}

export async function runDoctor(inventory: Inventory, deps: OperationDeps, options: DoctorOptions): Promise<DoctorReport> {
  const facts = await gatherFleetFacts(inventory, deps, { concurrency: options.concurrency, measureDisks: false });
  const servers = doctorServers(inventory, facts);
  const queue = new PQueue({ concurrency: options.concurrency });
  await Promise.all(
    servers.map((name) =>
      queue.add(async () => {
        const f = facts.get(name);
        if (!f?.reachable || !f.sudo || deps.signal?.aborted) return;
        deps.progress?.update(name, 'measuring disk (fdatasync)');
        const result = await (deps.probeDisk ?? probeDiskLatency)(await deps.transportFor(name), {});
        if ('error' in result) f.diskError = result.error;
        else f.disk = result;
        deps.progress?.update(name, 'disk measured', 'ok');
      }),
    ),
  );
  return judge({ inventory, facts, servers });
}
