// The cluster-side run lock: a file on the cluster's servers, so two controllers (a desktop and a
// laptop, each with its own .fleet/ state) never change one cluster at once. Taken with link(2)
// on each server in inventory order (the first reachable one decides a race), released on every
// exit path. It names the machine, user, process, command and start time of its holder.
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import type { Inventory } from '../inventory/types.js';
import type { Transport } from '../ssh/transport.js';

export const CLUSTER_LOCK_DIR = '/var/lib/rancher/k3s';
export const CLUSTER_LOCK_FILE = `${CLUSTER_LOCK_DIR}/fleet.lock`;
/** A lock from another machine older than this is called stale: no run of fleet lasts so long. */
export const STALE_AFTER_MS = 6 * 3600_000;
const LOCK_COMMAND_TIMEOUT_MS = 20_000;

export interface ClusterLockOwner {
  machine: string;
  machineId: string;
  user: string;
  pid: number;
  command: string;
  startedAt: string;
  /** Tells this run's lock from any other, so a release never removes someone else's. */
  runId: string;
}

/** This controller: its hostname and a stable id (/etc/machine-id; two laptops may share a hostname). */
export function controllerIdentity(): Pick<ClusterLockOwner, 'machine' | 'machineId' | 'user'> {
  let machineId = '';
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      machineId = readFileSync(file, 'utf8').trim();
      if (machineId) break;
    } catch {
      // Not on this system; try the next.
    }
  }
  let user = process.env.USER ?? '';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container); the environment's USER will do.
  }
  return { machine: hostname(), machineId: machineId || `hostname:${hostname()}`, user };
}

export function newLockOwner(command: string, now = new Date()): ClusterLockOwner {
  return { ...controllerIdentity(), pid: process.pid, command, startedAt: now.toISOString(), runId: randomBytes(12).toString('hex') };
}

/** The hosts that hold the lock: the servers, and `auto` hosts that may become servers (a fresh cluster). */
export function lockHosts(inventory: Pick<Inventory, 'hosts'>): string[] {
  return inventory.hosts.filter((h) => h.role !== 'agent').map((h) => h.name);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a lock's holder is gone, or undefined while it may still run. */
export function staleReason(owner: ClusterLockOwner, now = Date.now(), me = controllerIdentity()): string | undefined {
  if (owner.machineId === me.machineId) return processAlive(owner.pid) ? undefined : `its process (pid ${owner.pid}) is gone from this machine`;
  const age = now - Date.parse(owner.startedAt);
  if (!(age <= STALE_AFTER_MS)) return `it is older than ${STALE_AFTER_MS / 3600_000} h and its machine cannot be asked`;
  return undefined;
}

export function parseLockOwner(text: string): ClusterLockOwner | undefined {
  try {
    const owner = JSON.parse(text.trim()) as ClusterLockOwner;
    return typeof owner === 'object' && owner !== null && typeof owner.runId === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function ageText(startedAt: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(startedAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

export function describeOwner(owner: ClusterLockOwner): string {
  return `\`${owner.command}\` by ${owner.user} on ${owner.machine} (machine id ${owner.machineId.slice(0, 12)}, pid ${owner.pid}, started ${owner.startedAt}, ${ageText(owner.startedAt)} ago)`;
}

export class ClusterLockHeldError extends InputError {
  constructor(
    readonly host: string,
    readonly owner: ClusterLockOwner | undefined,
    readonly stale: string | undefined,
  ) {
    super(
      owner
        ? `another fleet run holds the cluster lock (${CLUSTER_LOCK_FILE} on ${host}): ${describeOwner(owner)}${stale ? ` — the lock is stale: ${stale}` : ''}`
        : `${CLUSTER_LOCK_FILE} on ${host} exists but does not name its holder`,
      stale || !owner ? 'if no fleet run is going on against this cluster, clear it: fleet unlock <inventory>' : `wait for that run to finish (or, if it is gone, fleet unlock <inventory> --force)`,
    );
  }
}

// Run as root on a host. link(2) creates the lock only if it does not exist yet, with its full
// content at once: a reader never sees it half written.
const ACQUIRE_SCRIPT = [
  'set -e',
  'umask 022',
  `dir=${CLUSTER_LOCK_DIR}`,
  'mkdir -p "$dir"',
  'tmp=$(mktemp "$dir/.fleet.lock.XXXXXX")',
  `trap 'rm -f -- "$tmp"' EXIT`,
  'printf \'%s\\n\' "$FLEET_LOCK" > "$tmp"',
  'chmod 0644 "$tmp"',
  'if ln -- "$tmp" "$dir/fleet.lock" 2>/dev/null; then echo "fleet-lock: acquired"',
  'elif [ -e "$dir/fleet.lock" ]; then echo "fleet-lock: held"; cat -- "$dir/fleet.lock" || true',
  'else echo "cannot create $dir/fleet.lock" >&2; exit 1; fi',
].join('\n');

// Removes the lock only while it still holds the given run id.
const RELEASE_SCRIPT = [
  `lock=${CLUSTER_LOCK_FILE}`,
  // The lock made the directory on a host without K3s (a reset one, a fresh one): rmdir leaves it
  // only when that is all it holds.
  'if [ -f "$lock" ] && grep -q -F -- "\\"runId\\":\\"$FLEET_LOCK_RUN\\"" "$lock"; then rm -f -- "$lock" && rmdir -- "${lock%/*}" 2>/dev/null; echo "fleet-lock: released"; else echo "fleet-lock: not ours"; fi',
].join('\n');

export type LockOutcome = { host: string; result: 'acquired' } | { host: string; result: 'held'; owner?: ClusterLockOwner } | { host: string; result: 'skipped'; why: string };

export async function tryLock(transport: Transport, owner: ClusterLockOwner): Promise<LockOutcome> {
  const run = await transport.exec(ACQUIRE_SCRIPT, { sudo: true, env: { FLEET_LOCK: JSON.stringify(owner) }, timeoutMs: LOCK_COMMAND_TIMEOUT_MS });
  const [first, ...rest] = run.stdout.split('\n');
  if (run.exitCode === 0 && first === 'fleet-lock: acquired') return { host: transport.host, result: 'acquired' };
  if (run.exitCode === 0 && first === 'fleet-lock: held') return { host: transport.host, result: 'held', owner: parseLockOwner(rest.join('\n')) };
  return { host: transport.host, result: 'skipped', why: (run.stderr.trim() || `exit ${run.exitCode}`).split('\n')[0]! };
}

/** Remove the lock on a host if it still belongs to `runId`; true when it was removed. */
export async function removeLockOf(transport: Transport, runId: string): Promise<boolean> {
  const run = await transport.exec(RELEASE_SCRIPT, { sudo: true, env: { FLEET_LOCK_RUN: runId }, timeoutMs: LOCK_COMMAND_TIMEOUT_MS });
  return run.exitCode === 0 && run.stdout.startsWith('fleet-lock: released');
}

/** The lock file's holder on a host, if any. */
export async function readClusterLock(transport: Transport): Promise<{ present: boolean; owner?: ClusterLockOwner }> {
  const run = await transport.exec(`if [ -e ${CLUSTER_LOCK_FILE} ]; then echo present; cat ${CLUSTER_LOCK_FILE}; fi`, { sudo: true, timeoutMs: LOCK_COMMAND_TIMEOUT_MS });
  const [first, ...rest] = run.stdout.split('\n');
  if (run.exitCode !== 0 || first !== 'present') return { present: false };
  const owner = parseLockOwner(rest.join('\n'));
  return owner ? { present: true, owner } : { present: true };
}
