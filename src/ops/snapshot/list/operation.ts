// `fleet snapshot list`: the snapshots on the controller (with records) and those K3s keeps on
// each server (scheduled and on-demand), with age, size and where each is. Read-only.
import { gatherFleetFacts } from '../../../facts/gather-fleet.js';
import type { Inventory } from '../../../inventory/types.js';
import { isExistingServer } from '../../../rules/select-servers.js';
import { parseSnapshotTable } from './k3s-list.js';
import { listControllerSnapshots } from '../record.js';
import type { SnapshotDeps } from '../save/operation.js';
import { textTable } from '../../../util/text-table.js';
import { findKeptToken } from '../../../token/kept.js';

export interface SnapshotListing {
  name: string;
  /** `controller`, or the inventory host that holds it. */
  where: string;
  /** The file: a local path, or K3s's location (file://… or s3://…). */
  location: string;
  size: number;
  createdAt: string;
  ageSeconds: number;
  k3sVersion?: string;
  /** The token the snapshot needs (its fingerprint; controller copies only: K3s's list does not say). */
  tokenFingerprint?: string;
  /** The file fleet keeps that token in; absent when fleet has no copy of it. */
  tokenKeptIn?: string;
}

export interface SnapshotListResult {
  snapshots: SnapshotListing[];
  /** Servers whose list could not be read, and why. */
  unreadable: Array<{ host: string; error: string }>;
}

export async function runSnapshotList(inventory: Inventory, deps: SnapshotDeps): Promise<SnapshotListResult> {
  const now = (deps.now ?? Date.now)();
  const age = (when: string) => Math.max(0, Math.round((now - Date.parse(when)) / 1000));
  const snapshots: SnapshotListing[] = listControllerSnapshots(inventory).map(({ file, record }) => ({
    name: record.name,
    where: 'controller',
    location: file,
    size: record.size,
    createdAt: record.takenAt,
    ageSeconds: age(record.takenAt),
    k3sVersion: record.k3sVersion,
    tokenFingerprint: record.tokenFingerprint,
    ...keptIn(inventory, record.tokenFingerprint),
  }));
  const unreadable: SnapshotListResult['unreadable'] = [];
  const facts = await gatherFleetFacts(inventory, deps, { concurrency: inventory.cluster.concurrency, measureDisks: false });
  const servers = inventory.hosts.filter((h) => facts.get(h.name)?.reachable && isExistingServer(facts.get(h.name)) && facts.get(h.name)?.k3s.etcdData);
  await Promise.all(
    servers.map(async (host) => {
      try {
        const result = await (await deps.transportFor(host.name)).exec('k3s etcd-snapshot ls', { sudo: true, timeoutMs: 60_000 });
        if (result.exitCode !== 0) throw new Error(result.stderr.trim().split('\n').pop() ?? `exit ${result.exitCode}`);
        for (const item of parseSnapshotTable(result.stdout)) {
          snapshots.push({ name: item.name, where: host.name, location: item.location, size: item.size, createdAt: item.createdAt, ageSeconds: age(item.createdAt) });
        }
      } catch (err) {
        unreadable.push({ host: host.name, error: (err as Error).message });
      }
    }),
  );
  snapshots.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.where.localeCompare(b.where));
  return { snapshots, unreadable };
}

function keptIn(inventory: Inventory, fingerprint: string): { tokenKeptIn?: string } {
  const kept = findKeptToken(inventory, fingerprint);
  return kept ? { tokenKeptIn: kept.file } : {};
}

export function renderSnapshotList(result: SnapshotListResult): string {
  const rows = [['NAME', 'WHERE', 'AGE', 'SIZE', 'K3S'], ...result.snapshots.map((s) => [s.name, s.where, humanAge(s.ageSeconds), humanSize(s.size), s.k3sVersion ?? ''])];
  const lines = textTable(rows).split('\n');
  if (result.snapshots.length === 0) lines.push('(no snapshots)');
  const withToken = result.snapshots.filter((s) => s.tokenFingerprint);
  if (withToken.length > 0) lines.push('', 'Token each controller copy needs to restore:');
  for (const s of withToken)
    lines.push(`  ${s.name}: ${s.tokenFingerprint!.slice(0, 19)}… ${s.tokenKeptIn ? `kept in ${s.tokenKeptIn}` : 'NOT kept by fleet: find that token before you need this snapshot'}`);
  for (const u of result.unreadable) lines.push(`${u.host}: could not list its snapshots: ${u.error}`);
  return `${lines.join('\n')}\n`;
}

export function humanAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
