// The hosts the facts-based sections judge: those that answered (a host down is the hosts
// section's one row, not a failure in every section).
import type { HostFacts } from '../../../facts/types.js';
import type { HostSpec } from '../../../inventory/types.js';
import type { DoctorInput } from '../types.js';

export function reachableHosts(input: DoctorInput): Array<{ host: HostSpec; facts: HostFacts }> {
  return input.inventory.hosts.flatMap((host) => {
    const facts = input.facts.get(host.name);
    return facts?.reachable ? [{ host, facts }] : [];
  });
}
