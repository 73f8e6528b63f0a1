// cordon / drain / uncordon of one node, through kubectl on a server (guard: kubectl's own
// "already cordoned" is the no-op; verify: its output names the node).
import { InputError } from '../errors.js';
import { kubectlOnServer, type KubectlTarget } from './kubectl-on-server.js';

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function checkedNodeName(node: string): string {
  if (!NODE_NAME.test(node)) throw new InputError(`node name ${JSON.stringify(node)} is not a Kubernetes node name`, "check node-name in the host's config");
  return node;
}

const changedUnless = (output: string, already: RegExp, word: string) => (already.test(output) ? 'none' : word);

export async function cordonNode(target: KubectlTarget, host: string, node: string): Promise<{ changed: string }> {
  const out = await kubectlOnServer(target, host, 'cordon', ['cordon', checkedNodeName(node)]);
  return { changed: changedUnless(out, /already cordoned/, 'cordoned') };
}

export async function uncordonNode(target: KubectlTarget, host: string, node: string): Promise<{ changed: string }> {
  const out = await kubectlOnServer(target, host, 'uncordon', ['uncordon', checkedNodeName(node)]);
  return { changed: changedUnless(out, /already uncordoned/, 'uncordoned') };
}

/**
 * kubectl drain, bounded by its own --timeout (and the command by a little more). `forGood`: the
 * node is being removed, so pods no controller owns are deleted too and each gets 120 s to stop.
 */
export async function drainNode(target: KubectlTarget, host: string, node: string, timeoutSeconds: number, forGood = false): Promise<{ changed: string }> {
  const args = ['drain', checkedNodeName(node), '--ignore-daemonsets', '--delete-emptydir-data', ...(forGood ? ['--force', '--grace-period=120'] : []), `--timeout=${timeoutSeconds}s`];
  await kubectlOnServer(target, host, 'drain', args, (timeoutSeconds + 30) * 1000);
  return { changed: 'drained' };
}
