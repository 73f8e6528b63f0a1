// The restore on one server, as K3s documents it: the snapshot uploaded beside K3s's data, then
// `k3s server --cluster-reset --cluster-reset-restore-path=FILE` (K3s moves the old etcd data to
// db/etcd-old-<time>, restores a single member, writes db/reset-flag and exits). The service is
// started afterwards by start-server.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';
import { tail } from './install-k3s.js';

export const RESTORE_DIR = '/var/lib/rancher/k3s/server/fleet-restore';

export const restorePath = (snapshotName: string): string => `${RESTORE_DIR}/${snapshotName}`;

export async function uploadSnapshot(transport: Transport, localFile: string, snapshotName: string): Promise<{ changed: string }> {
  await transport.exec(`mkdir -p ${RESTORE_DIR} && chmod 0700 ${RESTORE_DIR}`, { sudo: true, timeoutMs: 20_000 });
  await transport.upload(localFile, restorePath(snapshotName), { mode: 0o600, sudo: true });
  return { changed: restorePath(snapshotName) };
}

export async function clusterReset(transport: Transport, snapshotName: string, timeoutMs = 10 * 60_000): Promise<{ changed: string }> {
  const active = await transport.exec('systemctl is-active --quiet k3s', { sudo: true, timeoutMs: 20_000 });
  if (active.exitCode === 0) throw new CommandError(transport.host, 'cluster reset', null, '', `${transport.host}: k3s is running; a cluster reset needs it stopped`);
  const result = await transport.exec(`k3s server --cluster-reset --cluster-reset-restore-path=${restorePath(snapshotName)}`, { sudo: true, timeoutMs });
  if (result.timedOut)
    throw new CommandError(transport.host, 'cluster reset', null, tail(result.stderr), `${transport.host}: k3s server --cluster-reset did not finish within ${Math.round(timeoutMs / 1000)} s`);
  if (result.exitCode !== 0) throw new CommandError(transport.host, 'k3s server --cluster-reset', result.exitCode, tail(result.stderr || result.stdout));
  return { changed: 'etcd reset from the snapshot' };
}
