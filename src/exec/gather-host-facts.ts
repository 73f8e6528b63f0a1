// Facts of every host, read-only and bounded, without the disk probe: for commands that only
// need to know who runs what (status, add-node). A host that cannot be reached is data.
import PQueue from 'p-queue';
import { gatherHostFacts } from '../facts/gather.js';
import { unreachableHostFacts } from '../facts/host-facts.js';
import type { FleetFacts } from '../facts/types.js';
import type { HostSpec } from '../inventory/types.js';
import type { Transport } from '../ssh/transport.js';

export async function gatherHostFactsOf(hosts: HostSpec[], transportFor: (name: string) => Promise<Transport>, signal?: AbortSignal): Promise<FleetFacts> {
  const facts: FleetFacts = new Map();
  const queue = new PQueue({ concurrency: 20 });
  await Promise.all(
    hosts.map((host) =>
      queue.add(async () => {
        try {
          facts.set(host.name, await gatherHostFacts(await transportFor(host.name), { signal }));
        } catch (err) {
          facts.set(host.name, unreachableHostFacts(host.name, err instanceof Error ? err.message : String(err)));
        }
      }),
    ),
  );
  return facts;
}
