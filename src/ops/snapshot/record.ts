// A snapshot on the controller: the etcd snapshot file K3s wrote, copied to
// .fleet/<cluster>/snapshots/<name> (0600), beside <name>.json describing it. The record holds the
// token's fingerprint, never the token: a restore needs the original token, kept by the user.
import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import type { Inventory } from '../../inventory/types.js';
import { statePaths } from '../../state/state-paths.js';

export interface SnapshotRecord {
  /** K3s's snapshot name (<name>-<node>-<unix time>); also the file name on the controller. */
  name: string;
  cluster: string;
  /** The K3s version of the server it was taken on. */
  k3sVersion: string;
  /** The inventory host it was taken on. */
  server: string;
  /** When fleet took it (ISO 8601). */
  takenAt: string;
  size: number;
  sha256: string;
  /** tokenFingerprint() of the token the cluster ran with: the one a restore needs. */
  tokenFingerprint: string;
  /** The node objects the cluster had: a restore brings them back. */
  nodes: string[];
}

export interface ControllerSnapshot {
  file: string;
  record: SnapshotRecord;
}

export const snapshotDir = (inventory: Pick<Inventory, 'dir' | 'cluster'>): string => join(statePaths(inventory).dir, 'snapshots');
export const recordFile = (snapshotFile: string): string => `${snapshotFile}.json`;

export function writeRecord(snapshotFile: string, record: SnapshotRecord): void {
  writeFileSync(recordFile(snapshotFile), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  chmodSync(recordFile(snapshotFile), 0o600);
}

const FIELDS: Array<[keyof SnapshotRecord, 'string' | 'number' | 'object']> = [
  ['name', 'string'],
  ['cluster', 'string'],
  ['k3sVersion', 'string'],
  ['server', 'string'],
  ['takenAt', 'string'],
  ['size', 'number'],
  ['sha256', 'string'],
  ['tokenFingerprint', 'string'],
  ['nodes', 'object'],
];

export function readRecord(snapshotFile: string): SnapshotRecord {
  const file = recordFile(snapshotFile);
  if (!existsSync(file)) throw new InputError(`${snapshotFile} has no record beside it (${file})`, 'restore a snapshot taken with fleet snapshot save, with its .json record');
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message}`, 'restore the record from where the snapshot was kept');
  }
  for (const [key, type] of FIELDS) {
    if (typeof record[key] !== type || record[key] === null) throw new InputError(`${file}: ${key} is missing or not a ${type}`, 'restore the record from where the snapshot was kept');
  }
  return record as unknown as SnapshotRecord;
}

export function ensureSnapshotDir(inventory: Pick<Inventory, 'dir' | 'cluster'>): string {
  const dir = snapshotDir(inventory);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** The snapshots with records in the cluster's directory, oldest first. */
export function listControllerSnapshots(inventory: Pick<Inventory, 'dir' | 'cluster'>): ControllerSnapshot[] {
  const dir = snapshotDir(inventory);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && existsSync(join(dir, name.slice(0, -'.json'.length))))
    .map((name) => join(dir, name.slice(0, -'.json'.length)))
    .map((file) => ({ file, record: readRecord(file) }))
    .sort((a, b) => a.record.takenAt.localeCompare(b.record.takenAt));
}

/** SNAPSHOT as given: a file path, or the name of one in the cluster's snapshot directory. */
export function resolveSnapshot(inventory: Pick<Inventory, 'dir' | 'cluster'>, given: string): ControllerSnapshot {
  const candidates = [resolve(given), join(snapshotDir(inventory), basename(given))];
  const file = candidates.find((path) => existsSync(path) && statSync(path).isFile() && !path.endsWith('.json'));
  if (!file) {
    const known = listControllerSnapshots(inventory).map((s) => s.record.name);
    throw new InputError(
      `no snapshot ${given} (looked at ${candidates.join(' and ')})`,
      known.length > 0 ? `use one of: ${known.join(', ')} (fleet snapshot list)` : 'take one with fleet snapshot save, or give the path of a snapshot file with its .json record',
    );
  }
  return { file, record: readRecord(file) };
}

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const digest = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => digest.update(chunk))
      .on('error', fail)
      .on('end', () => done(digest.digest('hex')));
  });
}
