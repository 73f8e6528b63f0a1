// Delete a node object from a server. A re-imaged host lost its node password, and K3s refuses a
// node whose name exists with another password ("Node password rejected"): the old object goes
// first, together with its stale etcd member.
import { execChecked } from '../ssh/exec-checked.js';
import type { Transport } from '../ssh/transport.js';

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export async function deleteNode(transport: Transport, node: string): Promise<void> {
  if (!NODE_NAME.test(node)) throw new TypeError(`not a node name: ${node}`);
  await execChecked(transport, `delete node ${node}`, `k3s kubectl delete node ${node} --ignore-not-found --request-timeout=20s`, { sudo: true, timeoutMs: 30_000 });
}
