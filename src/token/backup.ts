// The token check of `fleet status`: the cluster token is the one thing a restore cannot do
// without, and the servers hold the only other copy. When the cluster exists but neither the
// inventory nor .fleet/<cluster>/token has it, say so while the servers can still give it.
import type { Inventory } from '../inventory/types.js';
import { statePaths } from '../state/state-paths.js';
import { readStoredToken } from './store.js';

export function missingTokenWarning(inventory: Inventory, clusterExists: boolean): string | undefined {
  if (!clusterExists || inventory.cluster.token !== undefined) return undefined;
  const file = statePaths(inventory).token;
  if (readStoredToken(file) !== undefined) return undefined;
  return `no local copy of the cluster token: neither the inventory (cluster.token / tokenFile) nor ${file} holds it. Copy it now from /var/lib/rancher/k3s/server/token on a server into a tokenFile and back it up with your snapshots: a restore needs it`;
}
