// `k3s etcd-snapshot save --name N` on a server: K3s writes <N>-<node>-<unix time> under
// /var/lib/rancher/k3s/server/db/snapshots and says "Snapshot <name> saved.".
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';
import { tail } from './install-k3s.js';

export const K3S_SNAPSHOT_DIR = '/var/lib/rancher/k3s/server/db/snapshots';

export interface SavedSnapshot {
  name: string;
  path: string;
}

export async function saveSnapshot(transport: Transport, baseName: string, timeoutMs = 10 * 60_000): Promise<SavedSnapshot> {
  const result = await transport.exec(`k3s etcd-snapshot save --name ${baseName}`, { sudo: true, timeoutMs });
  const output = `${result.stderr}\n${result.stdout}`;
  const saved = /Snapshot (\S+) saved\./.exec(output);
  if (result.exitCode !== 0 || !saved) throw new CommandError(transport.host, 'k3s etcd-snapshot save', result.exitCode, tail(output));
  const name = saved[1]!;
  // K3s names the file after the snapshot (a compressed one ends in .zip, named so).
  return { name, path: `${K3S_SNAPSHOT_DIR}/${name}` };
}
