// `fleet up` never upgrades: a host whose installed K3s differs from cluster.k3s.version would be
// reinstalled by up in its own order (agents as soon as the first server is ready), which can put
// an agent ahead of a server. So up refuses and points to `fleet upgrade`, which keeps the rules.
import { SafetyError } from '../../errors.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { compareK3sVersions } from '../../rules/version-order.js';

export function refuseVersionChange(inventory: Inventory, facts: FleetFacts): void {
  const target = inventory.cluster.k3s.version;
  if (!target) return;
  const differing = inventory.hosts
    .map((host) => ({ name: host.name, version: facts.get(host.name)?.k3s.installed ? facts.get(host.name)?.k3s.version : undefined }))
    .filter((host): host is { name: string; version: string } => host.version !== undefined && compareK3sVersions(host.version, target) !== 0);
  if (differing.length === 0) return;
  const listed = differing.map((h) => `${h.name} (${h.version})`).join(', ');
  throw new SafetyError(
    `cluster.k3s.version is ${target} but ${listed} run${differing.length === 1 ? 's' : ''} another version: fleet up does not change the version of a running cluster; nothing was changed`,
    `run fleet upgrade ${inventory.file} to upgrade with the version-skew and quorum rules (servers one at a time, then agents), or set cluster.k3s.version to what runs`,
    differing[0]!.name,
  );
}
