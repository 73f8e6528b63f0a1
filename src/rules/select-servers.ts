// Which hosts become servers: explicit servers, hosts that already hold etcd data, the init host,
// then role: auto hosts ranked by measured fsync p99 (with facts) or by disk hint.
import { InputError, SafetyError } from '../errors.js';
import type { FleetFacts, HostFacts } from '../facts/types.js';
import type { DiskHint, HostSpec, Inventory } from '../inventory/types.js';
import { explainEven } from './quorum.js';
import type { PlanWarning, RoleReason } from '../ops/up/types.js';

export interface ServerSelection {
  /** In inventory order. */
  servers: HostSpec[];
  agents: HostSpec[];
  reasons: Map<string, RoleReason>;
  /** Hosts whose facts show they are already cluster servers. */
  existingMembers: Set<string>;
  warnings: PlanWarning[];
}

/** Faster disks first; a host without kind or hint ranks between ssd and emmc. */
const DISK_RANK: Record<DiskHint | 'unknown', number> = { nvme: 0, ssd: 1, unknown: 2, emmc: 3, sd: 4 };

/** With no cluster.servers and no role: server host, fleet picks 3 servers when it can, else 1. */
export function defaultServerCount(candidates: number): number {
  return candidates >= 3 ? 3 : 1;
}

export function isExistingServer(facts: HostFacts | undefined): boolean {
  if (!facts) return false;
  return facts.k3s.etcdData || (facts.k3s.installed && facts.k3s.role === 'server' && facts.k3s.running);
}

export function isExistingAgent(facts: HostFacts | undefined): boolean {
  return facts !== undefined && facts.k3s.installed && facts.k3s.role === 'agent';
}

export interface SelectOptions {
  /** add-node: the etcd voter count decides even/odd (a plan check), not the inventory's count. */
  votersDecideEven?: boolean;
}

export function selectServers(inventory: Inventory, facts?: FleetFacts, options: SelectOptions = {}): ServerSelection {
  const { cluster, hosts } = inventory;
  const reasons = new Map<string, RoleReason>();
  const warnings: PlanWarning[] = [];
  const existingMembers = new Set(hosts.filter((host) => isExistingServer(facts?.get(host.name))).map((host) => host.name));

  for (const host of hosts) {
    if (host.role === 'agent' && existingMembers.has(host.name)) {
      throw new SafetyError(
        `${host.name} has role: agent but already holds etcd data or runs a K3s server`,
        'a node with cluster data must never be treated as new: make it role: server, or remove K3s from it first',
        host.name,
      );
    }
  }

  const forced = hosts.filter((host) => host.role === 'server' || (host.role === 'auto' && (host.init || existingMembers.has(host.name))));
  for (const host of forced) reasons.set(host.name, existingMembers.has(host.name) ? 'existing-member' : 'inventory');
  // An auto host already running as an agent stays one: fleet never changes a node's role in place.
  const existingAgents = hosts.filter((host) => host.role === 'auto' && !forced.includes(host) && isExistingAgent(facts?.get(host.name)));
  for (const host of existingAgents) reasons.set(host.name, 'existing-agent');
  const autoHosts = hosts.filter((host) => host.role === 'auto' && !forced.includes(host) && !existingAgents.includes(host));

  checkExplicitDisks(forced, inventory, facts, warnings);

  const explicitServerCount = hosts.filter((host) => host.role === 'server').length;
  const target = cluster.servers ?? (explicitServerCount > 0 ? forced.length : Math.max(forced.length, defaultServerCount(forced.length + autoHosts.length + existingAgents.length)));
  const { eligible, slow } = rankCandidates(autoHosts, inventory, facts);
  const picked = eligible.slice(0, Math.max(0, target - forced.length));
  for (const host of picked) reasons.set(host.name, measuredP99(host, facts) !== undefined ? 'auto:fsync' : 'auto:disk-hint');
  for (const host of autoHosts) if (!reasons.has(host.name)) reasons.set(host.name, slow.includes(host) ? 'auto:slow-disk' : 'auto:not-needed');
  for (const host of hosts) if (!reasons.has(host.name)) reasons.set(host.name, 'inventory');

  const serverNames = new Set([...forced, ...picked].map((host) => host.name));
  const servers = hosts.filter((host) => serverNames.has(host.name));
  const agents = hosts.filter((host) => !serverNames.has(host.name));
  const shortBySlowDisks = picked.length < target - forced.length && slow.length > 0;

  if (!options.votersDecideEven || servers.length % 2 === 1) checkCount(servers.length, inventory, shortBySlowDisks, slow, warnings);
  addDiskHintWarnings(servers, facts, warnings);
  return { servers, agents, reasons, existingMembers, warnings };
}

/** Why the disk gate could not measure this host, when it tried and failed. */
function unmeasured(host: HostSpec, facts?: FleetFacts): string | undefined {
  const hostFacts = facts?.get(host.name);
  return hostFacts?.disk === undefined ? hostFacts?.diskError : undefined;
}

function measuredP99(host: HostSpec, facts?: FleetFacts): number | undefined {
  return facts?.get(host.name)?.disk?.p99Ms;
}

function rankCandidates(candidates: HostSpec[], inventory: Inventory, facts?: FleetFacts): { eligible: HostSpec[]; slow: HostSpec[] } {
  const { maxFsyncP99Ms, onSlow } = inventory.cluster.disk;
  // A disk that could not be measured is refused like a slow one: promotion needs proof.
  const slow = candidates.filter((host) => onSlow === 'refuse' && ((measuredP99(host, facts) ?? 0) > maxFsyncP99Ms || unmeasured(host, facts)));
  const eligible = candidates
    .filter((host) => !slow.includes(host))
    .sort((a, b) => {
      const pa = measuredP99(a, facts);
      const pb = measuredP99(b, facts);
      if (pa !== undefined && pb !== undefined && pa !== pb) return pa - pb;
      if ((pa === undefined) !== (pb === undefined)) return pa === undefined ? 1 : -1;
      const hint = DISK_RANK[a.disk ?? 'unknown'] - DISK_RANK[b.disk ?? 'unknown'];
      return hint !== 0 ? hint : a.index - b.index;
    });
  return { eligible, slow };
}

/** Servers named in the inventory are not re-ranked, but a measured slow disk is still refused. */
function checkExplicitDisks(servers: HostSpec[], inventory: Inventory, facts: FleetFacts | undefined, warnings: PlanWarning[]): void {
  const { maxFsyncP99Ms, onSlow } = inventory.cluster.disk;
  for (const host of servers) {
    const diskError = unmeasured(host, facts);
    if (diskError && onSlow === 'refuse') {
      throw new SafetyError(
        `${host.name} would be an etcd server but its disk could not be measured: ${diskError}`,
        'install fio or python3 on it, make it an agent, or set cluster.disk.onSlow: warn',
        host.name,
      );
    }
    const p99 = measuredP99(host, facts);
    if (p99 === undefined || p99 <= maxFsyncP99Ms) continue;
    const figures = `fdatasync p99 ${p99} ms, limit ${maxFsyncP99Ms} ms`;
    if (onSlow === 'refuse') {
      throw new SafetyError(
        `${host.name} would be an etcd server but its disk is too slow (${figures})`,
        'move /var/lib/rancher to an SSD, make the host an agent, or set cluster.disk.onSlow: warn',
        host.name,
      );
    }
    warnings.push({ code: 'slow-disk', host: host.name, message: `${host.name} is a server on a slow disk (${figures}); etcd may lose leadership under load` });
  }
}

function checkCount(count: number, inventory: Inventory, shortBySlowDisks: boolean, slow: HostSpec[], warnings: PlanWarning[]): void {
  const slowNames = slow.map((host) => host.name).join(', ');
  if (count === 0) {
    if (shortBySlowDisks) throw new SafetyError(`no server can be planned: every candidate disk is too slow (${slowNames})`, 'add a host with an SSD or set cluster.disk.onSlow: warn');
    throw new InputError('the inventory plans no server', 'give at least one host role: server or role: auto');
  }
  if (count === 1) {
    warnings.push({ code: 'single-server', message: `1 server: quorum 1, tolerates no failure; losing it stops the control plane` });
    return;
  }
  if (count % 2 === 1) return;
  const arithmetic = explainEven(count);
  if (inventory.cluster.allowEvenServers) {
    warnings.push({ code: 'even-servers', message: `${count} servers (allowed by allowEvenServers): ${arithmetic}` });
    return;
  }
  const hint = `plan ${count - 1} or ${count + 1} servers, or set cluster.allowEvenServers: true`;
  if (shortBySlowDisks) {
    throw new SafetyError(`slow disks left ${count} servers, an even count (slow: ${slowNames}): ${arithmetic}`, `${hint}, or set cluster.disk.onSlow: warn`);
  }
  throw new InputError(`${count} servers is an even count: ${arithmetic}`, hint);
}

function addDiskHintWarnings(servers: HostSpec[], facts: FleetFacts | undefined, warnings: PlanWarning[]): void {
  for (const host of servers) {
    if ((host.disk === 'sd' || host.disk === 'emmc') && measuredP99(host, facts) === undefined) {
      const medium = host.disk === 'sd' ? 'an SD card' : 'eMMC';
      warnings.push({
        code: 'slow-disk-hint',
        host: host.name,
        message: `${host.name} is a server on ${medium} (by hint): its disk will be measured before it is promoted, and a slow one is refused`,
      });
    }
  }
}
