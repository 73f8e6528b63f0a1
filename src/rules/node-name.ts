// Node names. A new node is named after its inventory name (config.yaml node-name), so hostnames
// no longer matter. A node K3s already runs keeps the name it has: K3s cannot rename a node in
// place (the name keys its node password and, on a server, its etcd member), so a different one
// is refused with the way out, and a node named after its hostname stays so (no restart for it).
import { SafetyError } from '../errors.js';
import type { FleetFacts, HostFacts } from '../facts/types.js';
import type { FlagMap, HostSpec } from '../inventory/types.js';
import type { PlanWarning } from '../ops/up/types.js';

/** The config with node-name as the running node has it (or refused when the inventory renames it). */
export function keepRunningNodeName(host: HostSpec, config: FlagMap, facts: HostFacts | undefined): FlagMap {
  const k3s = facts?.k3s;
  if (!k3s?.installed) return config;
  const running = k3s.config?.['node-name'];
  if (running === undefined) {
    // Installed without node-name: the node carries the hostname; matched by address as before.
    const { 'node-name': _named, ...rest } = config;
    return rest;
  }
  if (String(running) !== host.name) {
    throw new SafetyError(
      `${host.name} runs as node "${String(running)}": K3s cannot rename a running node, and fleet does not try`,
      `keep the node's name (set name: ${String(running)} for this host in the inventory), or remove the node from the cluster and add it again under the new name`,
      host.name,
    );
  }
  return config;
}

/** Groups of inventory hosts that share a hostname (in inventory order): one rule for up and doctor. */
export function duplicateHostnames(hosts: readonly HostSpec[], facts: FleetFacts | undefined): Array<{ hostname: string; hosts: string[] }> {
  if (!facts) return [];
  const byHostname = new Map<string, string[]>();
  for (const host of hosts) {
    const hostname = facts.get(host.name)?.hostname;
    if (hostname !== undefined) byHostname.set(hostname, [...(byHostname.get(hostname) ?? []), host.name]);
  }
  return [...byHostname.entries()].filter(([, names]) => names.length > 1).map(([hostname, names]) => ({ hostname, hosts: names }));
}

/** The one message for a shared hostname, as `up` warns it and `fleet doctor` reports it. */
export function duplicateHostnameMessage(group: { hostname: string; hosts: string[] }): string {
  return `${group.hosts.join(', ')} share the hostname ${group.hostname}: fleet names each node after the inventory (node-name), so K3s tells them apart; give them their own hostnames when you can`;
}

/** Hosts that share a hostname: harmless with node-name, but worth knowing (imaged Pis). */
export function duplicateHostnameWarnings(hosts: HostSpec[], facts: FleetFacts | undefined): PlanWarning[] {
  return duplicateHostnames(hosts, facts).map((group) => ({ code: 'duplicate-hostname' as const, host: group.hosts[0]!, message: duplicateHostnameMessage(group) }));
}
