// Facts for a whole fleet, read-only: the facts script on every host, then the disk probe on
// every host that could become a new etcd member. Shared by `fleet plan` and `fleet up`, so the
// plan a person reads is the plan `up` carries out.
import PQueue from 'p-queue';
import { InputError } from '../errors.js';
import { probeDiskLatency, type DiskProbeOptions } from './disk-probe.js';
import { gatherHostFacts } from './gather-host.js';
import { unreachableHostFacts } from './host-facts.js';
import type { FleetFacts, HostFacts } from './types.js';
import type { Inventory } from '../inventory/types.js';
import { isExistingAgent, isExistingServer } from '../rules/select-servers.js';
import type { OperationDeps } from '../ops/operation-deps.js';
import { silentProgress } from '../engine/progress.js';

/** What fact gathering needs of an operation's deps. */
export type FleetFactsDeps = Pick<OperationDeps, 'transportFor' | 'progress' | 'signal' | 'gatherHostFacts' | 'probeDisk'>;

export interface FleetFactsOptions {
  /** Hosts probed at once (at least 20: facts are cheap and read-only). */
  concurrency: number;
  diskProbe?: DiskProbeOptions;
  /** false: facts only, for commands that just need to know who runs what (status, add-node's survey). */
  measureDisks?: boolean;
  /** Only these hosts may get the disk probe (add-node: the hosts it adds). */
  measureDisksOn?: string[];
}

/**
 * Would this host be measured by the disk gate: it may become a server and is not one yet.
 * A node that already runs K3s as an agent keeps that role, so measuring it would be wasted time.
 */
export function needsDiskProbe(role: string, facts: HostFacts | undefined): boolean {
  return role !== 'agent' && !isExistingServer(facts) && !(role === 'auto' && isExistingAgent(facts)) && facts?.reachable === true && facts.sudo;
}

export async function gatherFleetFacts(inventory: Inventory, deps: FleetFactsDeps, options: FleetFactsOptions): Promise<FleetFacts> {
  const progress = deps.progress ?? silentProgress;
  const facts: FleetFacts = new Map();
  const queue = new PQueue({ concurrency: Math.max(options.concurrency, 20) });
  await Promise.all(
    inventory.hosts.map((host) =>
      queue.add(async () => {
        progress.update(host.name, 'gathering facts');
        let hostFacts: HostFacts;
        try {
          hostFacts = await (deps.gatherHostFacts ?? gatherHostFacts)(await deps.transportFor(host.name), { signal: deps.signal });
        } catch (err) {
          // A local mistake (an unreadable identity file) is the user's input, not the host's fault: exit 2.
          if (err instanceof InputError) throw err;
          hostFacts = unreachableHostFacts(host.name, err instanceof Error ? err.message : String(err));
        }
        facts.set(host.name, hostFacts);
        progress.update(host.name, hostFacts.reachable ? 'facts gathered' : `unreachable: ${hostFacts.error}`, hostFacts.reachable ? 'ok' : 'failed');
        // Whether a host needs the probe depends on its own facts alone, so it is measured right
        // away, while the other hosts' facts still come in (bench: the probe left the critical path).
        if (options.measureDisks !== false && (options.measureDisksOn?.includes(host.name) ?? true) && !deps.signal?.aborted && needsDiskProbe(host.role, hostFacts)) await probe(host);
      }),
    ),
  );
  return facts;

  async function probe(host: Inventory['hosts'][number]): Promise<void> {
    progress.update(host.name, 'measuring disk (fdatasync)');
    const result = await (deps.probeDisk ?? probeDiskLatency)(await deps.transportFor(host.name), options.diskProbe ?? {});
    const hostFacts = facts.get(host.name)!;
    if ('error' in result) hostFacts.diskError = result.error;
    else hostFacts.disk = result;
    if ('error' in result) return progress.update(host.name, `disk not measured: ${result.error}`, 'failed');
    const limit = inventory.cluster.disk.maxFsyncP99Ms;
    // A slow disk is a finding, not a failed probe: say so without ending the line in "ok".
    const verdict = result.p99Ms > limit ? `too slow for etcd (limit ${limit} ms)` : `fast enough for etcd (limit ${limit} ms)`;
    progress.update(host.name, `disk p99 ${result.p99Ms} ms over ${result.samples} writes: ${verdict}`, result.p99Ms > limit ? 'warn' : 'ok');
  }
}
