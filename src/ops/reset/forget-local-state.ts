// After a reset: the cluster's local state (.fleet/<cluster>/: token, kubeconfig, lock, logs)
// and the entries `fleet up --merge` put into the user's kubeconfig (cluster, user and context
// named after the cluster, see steps/kubeconfig.ts) go too. Other kubeconfig entries are kept,
// and the file is edited with yaml's Document API so their comments and order stay.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { Inventory } from '../../inventory/types.js';
import { statePaths } from '../../state/state-paths.js';
import { writeSecretFile } from '../../actions/fetch-kubeconfig.js';
import { defaultKubeconfigPath } from '../../state/kubeconfig-merge.js';

/** The kubeconfig text without the cluster's entries; undefined when it has none. Pure. */
export function withoutClusterEntries(text: string, cluster: string): string | undefined {
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  let removed = 0;
  for (const key of ['clusters', 'users', 'contexts']) {
    const list = doc.get(key, true);
    if (!isSeq(list)) continue;
    const before = list.items.length;
    list.items = list.items.filter((item) => !(isMap(item) && item.get('name') === cluster));
    removed += before - list.items.length;
  }
  if (doc.get('current-context') === cluster) {
    doc.delete('current-context');
    removed++;
  }
  return removed > 0 ? doc.toString() : undefined;
}

export interface ForgottenState {
  stateDir?: string;
  kubeconfig?: string;
}

export function forgetLocalState(inventory: Pick<Inventory, 'dir' | 'cluster'>, kubeconfigPath = defaultKubeconfigPath()): ForgottenState {
  const forgotten: ForgottenState = {};
  const dir = statePaths(inventory).dir;
  if (existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    forgotten.stateDir = dir;
  }
  if (existsSync(kubeconfigPath)) {
    const text = withoutClusterEntries(readFileSync(kubeconfigPath, 'utf8'), inventory.cluster.name);
    if (text !== undefined) {
      writeSecretFile(kubeconfigPath, text);
      forgotten.kubeconfig = kubeconfigPath;
    }
  }
  return forgotten;
}
