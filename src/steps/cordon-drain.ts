// Cordon and drain a node through a live server's kubectl, before the node is taken out.
// The drain flags are the usual ones for taking a node away for good (k0sctl uses the same):
// DaemonSet pods are ignored (they die with the node), emptyDir data is expendable.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function checkName(node: string): void {
  if (!NODE_NAME.test(node)) throw new TypeError(`not a node name: ${node}`);
}

export async function cordonNode(server: Transport, node: string): Promise<{ changed: string }> {
  checkName(node);
  const result = await server.exec(`k3s kubectl cordon ${node} --request-timeout=20s`, { sudo: true, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new CommandError(server.host, `cordon ${node}`, result.exitCode, result.stderr.trim());
  return { changed: /already cordoned/.test(result.stdout) ? 'none' : 'cordoned' };
}

export async function drainNode(server: Transport, node: string, timeoutSeconds = 300): Promise<{ changed: string }> {
  checkName(node);
  const command = `k3s kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data --force --grace-period=120 --timeout=${timeoutSeconds}s`;
  const result = await server.exec(command, { sudo: true, timeoutMs: (timeoutSeconds + 30) * 1000 });
  if (result.exitCode !== 0) throw new CommandError(server.host, `drain ${node}`, result.exitCode, result.stderr.trim().split('\n').slice(-3).join('\n'));
  return { changed: 'drained' };
}
