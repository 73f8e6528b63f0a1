// `fleet up --restore-from SNAPSHOT`: disaster recovery onto hosts without K3s. The first server is
// installed as usual, then reset from the snapshot (K3s's restore on one server: stop,
// --cluster-reset --cluster-reset-restore-path, start) before any other host joins; the rest join
// as usual, with the token the snapshot was taken with. Kept apart from up.ts, which only calls
// check() before anything changes and restore() once the first server is ready.
import { deleteNode } from '../../actions/delete-node.js';
import { InputError, SafetyError } from '../../errors.js';
import { tokenFingerprint } from '../../facts/k3s-config.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { parseK3sVersion } from '../../rules/version-order.js';
import type { Plan, PlannedHost } from './types.js';
import { resolveSnapshot, sha256OfFile, type ControllerSnapshot } from '../snapshot/record.js';
import type { Transport } from '../../ssh/transport.js';
import { readStoredToken } from '../../token/store.js';
import { statePaths } from '../../state/state-paths.js';
import { clusterReset, uploadSnapshot } from '../../actions/cluster-reset.js';
import { startServer } from '../../actions/start-k3s.js';
import { stopK3s } from '../../actions/stop-k3s.js';
import type { WaitOptions } from '../../actions/wait-ready.js';

export interface RestoreFromHook {
  snapshot: ControllerSnapshot;
  /** Before anything changes: fresh hosts, the snapshot's token. Throws SafetyError (exit 3). */
  check(plan: Plan, facts: FleetFacts, token: string): void;
  /** On the first server, installed and ready: reset it from the snapshot, start it, wait. */
  restore(transport: Transport, host: PlannedHost, wait: WaitOptions): Promise<{ changed: string }>;
}

/** Read and check the snapshot before connecting: its file, its K3s minor, a token to use. */
export async function prepareRestoreFrom(inventory: Inventory, given: string): Promise<RestoreFromHook> {
  const snapshot = resolveSnapshot(inventory, given);
  const { record } = snapshot;
  const sha = await sha256OfFile(snapshot.file);
  if (sha !== record.sha256)
    throw new SafetyError(
      `the snapshot file ${record.name} does not match its record: sha256 ${sha}, recorded ${record.sha256}`,
      'the file was changed or damaged since it was saved; use a good copy',
    );
  if (record.cluster !== inventory.cluster.name)
    throw new SafetyError(`${record.name} was taken from cluster ${record.cluster}, not ${inventory.cluster.name}`, 'name the cluster in the inventory as the one the snapshot came from');
  const pinned = inventory.cluster.k3s.version;
  const taken = parseK3sVersion(record.k3sVersion);
  const installing = pinned ? parseK3sVersion(pinned) : undefined;
  if (taken && installing && (taken[0]! > installing[0]! || (taken[0] === installing[0] && taken[1]! > installing[1]!))) {
    throw new SafetyError(
      `${record.name} was taken on K3s ${record.k3sVersion}, a newer minor than the ${pinned} the inventory installs: K3s cannot restore onto an older minor`,
      `set cluster.k3s.version to ${record.k3sVersion} or newer`,
    );
  }
  if (inventory.cluster.token === undefined && readStoredToken(statePaths(inventory).token) === undefined) {
    throw new SafetyError(
      `${record.name} can only be restored with the token it was taken with, and the inventory has none`,
      'set cluster.token (or tokenFile) to the token of the cluster the snapshot came from',
    );
  }
  return {
    snapshot,
    check: (plan, facts, token) => checkFreshHosts(plan, facts, token, snapshot),
    restore: (transport, host, wait) => restoreFirstServer(transport, host, wait, snapshot),
  };
}

function checkFreshHosts(plan: Plan, facts: FleetFacts, token: string, snapshot: ControllerSnapshot): void {
  const withK3s = plan.hosts.filter((h) => facts.get(h.name)?.k3s.installed || facts.get(h.name)?.k3s.etcdData).map((h) => h.name);
  if (withK3s.length > 0) {
    throw new InputError(
      `--restore-from is for hosts without K3s, and ${withK3s.join(', ')} ${withK3s.length === 1 ? 'has' : 'have'} it`,
      'to restore a cluster that runs, use fleet snapshot restore',
    );
  }
  if (tokenFingerprint(token) !== snapshot.record.tokenFingerprint) {
    throw new SafetyError(
      `the token this run would use is not the one ${snapshot.record.name} was taken with: K3s could not decrypt its bootstrap data`,
      'set cluster.token to the token of the cluster the snapshot came from',
    );
  }
}

async function restoreFirstServer(transport: Transport, host: PlannedHost, wait: WaitOptions, snapshot: ControllerSnapshot): Promise<{ changed: string }> {
  await stopK3s(transport, 'server');
  await uploadSnapshot(transport, snapshot.file, snapshot.record.name);
  await clusterReset(transport, snapshot.record.name);
  await startServer(transport, host, wait);
  // The snapshot's other node objects belong to the old machines: the hosts of this run register
  // afresh (a same-named one would otherwise meet the old node's password), and the rest are gone.
  for (const node of snapshot.record.nodes.filter((n) => n !== host.name)) await deleteNode(transport, node);
  return { changed: `restored from ${snapshot.record.name}` };
}
