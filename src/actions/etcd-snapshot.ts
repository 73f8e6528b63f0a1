// The pre-upgrade snapshot: `k3s etcd-snapshot save --name NAME` on a healthy server (K3s writes
// it under /var/lib/rancher/k3s/server/db/snapshots). The way back if the upgrade goes wrong.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';
import { tail } from './install-k3s.js';

const SNAPSHOT_NAME = /^[a-z0-9][-a-z0-9.]*$/;

export async function saveEtcdSnapshot(transport: Transport, name: string, timeoutMs = 300_000): Promise<{ changed: string }> {
  if (!SNAPSHOT_NAME.test(name)) throw new TypeError(`snapshot name ${name} is not a K3s snapshot name`);
  const result = await transport.exec(`k3s etcd-snapshot save --name ${name}`, { sudo: true, timeoutMs });
  if (result.exitCode !== 0 || result.timedOut) throw new CommandError(transport.host, 'etcd-snapshot save', result.exitCode, tail(result.stderr || result.stdout));
  return { changed: `snapshot ${name}` };
}
