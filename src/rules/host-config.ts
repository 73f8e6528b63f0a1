// What each host's /etc/rancher/k3s/config.yaml will hold. The token appears only as
// TOKEN_PLACEHOLDER; the executor writes the real one into the file (mode 0600).
import type { FlagMap, FlagValue, HostSpec, Inventory } from '../inventory/types.js';
import { TOKEN_PLACEHOLDER } from '../ops/up/types.js';

export const SUPERVISOR_PORT = 6443;

/** `https://<address>:6443`, IPv6 addresses bracketed. */
export function serverUrl(address: string): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `https://${host}:${SUPERVISOR_PORT}`;
}

export type ServerPosition = { kind: 'first'; newCluster: boolean } | { kind: 'joining'; joinUrl: string };

export function serverConfig(host: HostSpec, inventory: Inventory, position: ServerPosition): FlagMap {
  const { cluster } = inventory;
  const fleetFlags: FlagMap = {};
  if (position.kind === 'first' && position.newCluster) fleetFlags['cluster-init'] = true;
  if (position.kind === 'joining') fleetFlags['server'] = position.joinUrl;
  // Every server gets the token fleet resolved (inventory, the running cluster's, or generated).
  fleetFlags['token'] = TOKEN_PLACEHOLDER;
  // The node is named after the inventory, not the hostname (imaged Pis are all raspberrypi).
  fleetFlags['node-name'] = host.name;
  const merged: FlagMap = { ...fleetFlags, ...cluster.config, ...host.config };
  const sans = [...asList(merged['tls-san']), ...(cluster.registrationAddress ? [cluster.registrationAddress] : []), ...cluster.tlsSan];
  setList(merged, 'tls-san', unique(sans));
  setList(merged, 'node-label', nodeLabels(host, merged['node-label']));
  return merged;
}

export function agentConfig(host: HostSpec, inventory: Inventory, joinUrl: string): FlagMap {
  const merged: FlagMap = { server: joinUrl, token: TOKEN_PLACEHOLDER, 'node-name': host.name, ...inventory.cluster.agentConfig, ...host.config };
  setList(merged, 'node-label', nodeLabels(host, merged['node-label']));
  return merged;
}

function nodeLabels(host: HostSpec, configured: FlagValue | undefined): Array<string | number | boolean> {
  return unique([...asList(configured), ...Object.entries(host.labels).map(([key, value]) => `${key}=${value}`)]);
}

function asList(value: FlagValue | undefined): Array<string | number | boolean> {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function setList(flags: FlagMap, name: string, values: Array<string | number | boolean>): void {
  if (values.length === 0) delete flags[name];
  else flags[name] = values;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
