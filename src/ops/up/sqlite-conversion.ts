// Converting a single SQLite server to etcd must keep the cluster it had: every node registered
// before the restart with cluster-init must still be listed afterwards, or no server joins.
import { readClusterView, type ClusterView } from '../../facts/cluster-view.js';
import { CommandError } from '../../errors.js';
import type { Transport } from '../../ssh/transport.js';

/** Node names the SQLite server lists before its conversion. */
export async function nodesBeforeConversion(transport: Transport): Promise<string[]> {
  const view = await readClusterView(transport);
  if (!view.nodes)
    throw new CommandError(
      transport.host,
      'list nodes before the etcd conversion',
      null,
      view.nodesError ?? '',
      `${transport.host}: cannot list its nodes before converting it to etcd: ${view.nodesError ?? 'no answer'}`,
    );
  return view.nodes.map((n) => n.name);
}

export function missingAfterConversion(before: string[], after: ClusterView): string[] {
  const now = new Set((after.nodes ?? []).map((n) => n.name));
  return before.filter((name) => !now.has(name));
}
