// Checks that span fields (uniqueness, exclusive options, must-match flags). They run on the
// expanded raw data even when the schema found problems, so every issue is reported at once;
// each reads only the parts that have the right shape.
import type { InventoryIssue } from '../errors.js';
import { FLEET_OWNED_FLAGS, MUST_MATCH_FLAGS } from './must-match.js';
import { showValue } from './problem.js';
import { formatPath, type PathSegment, type YamlSource } from './yaml-source.js';

type Raw = Record<string, unknown>;

const isMap = (value: unknown): value is Raw => value !== null && typeof value === 'object' && !Array.isArray(value);

export function crossCheck(data: unknown, source: YamlSource): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  const report = (path: PathSegment[], message: string, hint?: string, key = false) => issues.push({ path: formatPath(path), line: source.lineOf(path, { key }), message, hint });
  if (!isMap(data)) return issues;
  const cluster = isMap(data['cluster']) ? data['cluster'] : {};
  const hosts = Array.isArray(data['hosts']) ? data['hosts'].map((host) => (isMap(host) ? host : {})) : [];

  if (cluster['token'] !== undefined && cluster['tokenFile'] !== undefined) {
    report(['cluster', 'tokenFile'], 'token and tokenFile are both set', 'keep one of them', true);
  }
  const k3s = isMap(cluster['k3s']) ? cluster['k3s'] : {};
  if (k3s['version'] !== undefined && k3s['channel'] !== undefined) {
    report(['cluster', 'k3s', 'channel'], 'version and channel are both set', 'pin a version or follow a channel, not both', true);
  }

  const vip = isMap(cluster['vip']) ? cluster['vip'] : {};
  if (typeof vip['address'] === 'string' && cluster['registrationAddress'] !== undefined && cluster['registrationAddress'] !== vip['address']) {
    report(
      ['cluster', 'registrationAddress'],
      `registrationAddress ${showValue(cluster['registrationAddress'])} is not the VIP ${showValue(vip['address'])}`,
      'with cluster.vip the VIP is the registration address: remove registrationAddress (or make it the VIP)',
    );
  }
  if (typeof vip['address'] === 'string' && hosts.some((host) => host['address'] === vip['address'])) {
    report(['cluster', 'vip', 'address'], `the VIP ${showValue(vip['address'])} is a host's own address`, "pick a free address on the servers' network, outside the DHCP range");
  }

  checkFleetOwned(cluster['config'], ['cluster', 'config'], report);
  checkFleetOwned(cluster['agentConfig'], ['cluster', 'agentConfig'], report);
  hosts.forEach((host, index) => checkFleetOwned(host['config'], ['hosts', index, 'config'], report));

  checkUnique(hosts, 'name', (value) => value, report);
  checkUnique(hosts, 'address', (value) => value.toLowerCase().replace(/\.$/, ''), report);
  checkInit(hosts, report);
  checkServerCount(cluster, hosts, report);
  checkMustMatch(cluster, hosts, report);
  return issues;
}

type Report = (path: PathSegment[], message: string, hint?: string, key?: boolean) => void;

function checkFleetOwned(config: unknown, path: PathSegment[], report: Report): void {
  if (!isMap(config)) return;
  for (const flag of Object.keys(config)) {
    if (!FLEET_OWNED_FLAGS.includes(flag)) continue;
    const hint = flag.includes('token')
      ? 'set cluster.token (or cluster.tokenFile); fleet writes it to config.yaml itself'
      : flag === 'node-name'
        ? "each node is named after its host's name in the inventory: set hosts[].name"
        : 'fleet sets this flag itself from the plan (use init: true to choose the first server)';
    report([...path, flag], `${flag} is set by fleet and cannot be set in a config map`, hint, true);
  }
}

function checkUnique(hosts: Raw[], field: 'name' | 'address', normalise: (value: string) => string, report: Report): void {
  const seen = new Map<string, number>();
  hosts.forEach((host, index) => {
    const value = host[field];
    if (typeof value !== 'string') return;
    const first = seen.get(normalise(value));
    if (first === undefined) seen.set(normalise(value), index);
    else report(['hosts', index, field], `${showValue(value)} is already the ${field} of hosts[${first}]`, `every host needs its own ${field}`);
  });
}

function checkInit(hosts: Raw[], report: Report): void {
  const initHosts = hosts.map((host, index) => ({ host, index })).filter(({ host }) => host['init'] === true);
  for (const { host, index } of initHosts.slice(1)) {
    report(['hosts', index, 'init'], `${showValue(host['name'])} is a second init host (hosts[${initHosts[0]!.index}] already has init: true)`, 'exactly one host may start the cluster');
  }
  for (const { host, index } of initHosts) {
    if (host['role'] === 'agent') report(['hosts', index, 'init'], 'an agent cannot start the cluster', 'init: true needs role: server (or auto)');
  }
}

function checkServerCount(cluster: Raw, hosts: Raw[], report: Report): void {
  const wanted = cluster['servers'];
  if (typeof wanted !== 'number' || !Number.isInteger(wanted)) return;
  // An auto host with init: true is a server too.
  const explicit = hosts.filter((host) => host['role'] === 'server' || (host['role'] !== 'agent' && host['init'] === true)).length;
  const possible = hosts.filter((host) => host['role'] !== 'agent').length;
  if (explicit > wanted) {
    report(['cluster', 'servers'], `${wanted} servers wanted but ${explicit} hosts are servers (role: server or init: true)`, `raise cluster.servers to at least ${explicit} or change some roles`);
  } else if (possible < wanted) {
    report(['cluster', 'servers'], `${wanted} servers wanted but only ${possible} hosts can be servers`, 'add hosts with role: auto or server, or lower cluster.servers');
  }
}

/** Servers must agree on the must-match flags; only cluster.config may set them. */
function checkMustMatch(cluster: Raw, hosts: Raw[], report: Report): void {
  const clusterConfig = isMap(cluster['config']) ? cluster['config'] : {};
  hosts.forEach((host, index) => {
    if (host['role'] === 'agent' || !isMap(host['config'])) return;
    for (const [flag, value] of Object.entries(host['config'])) {
      if (!MUST_MATCH_FLAGS.includes(flag) || FLEET_OWNED_FLAGS.includes(flag)) continue;
      const clusterValue = clusterConfig[flag];
      if (sameFlagValue(value, clusterValue)) continue;
      const name = typeof host['name'] === 'string' ? host['name'] : `hosts[${index}]`;
      const clusterText = clusterValue === undefined ? 'cluster.config does not set it' : `cluster.config has ${showFlag(clusterValue)}`;
      report(['hosts', index, 'config', flag], `${name} sets ${flag} to ${showFlag(value)} but ${clusterText}`, `${flag} must be identical on every server; set it once in cluster.config`);
    }
  });
}

function normaliseFlag(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map((item) => String(item));
}

export function sameFlagValue(a: unknown, b: unknown): boolean {
  const left = normaliseFlag(a);
  const right = normaliseFlag(b);
  if (left === undefined || right === undefined) return left === right;
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

function showFlag(value: unknown): string {
  return Array.isArray(value) ? `[${value.map((item) => showValue(item)).join(', ')}]` : showValue(value);
}
