// kubectl runs where the kubeconfig is: on a server. The first of the given servers that answers
// runs it, so a server restarting for its own upgrade never blocks a cordon elsewhere.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';
import { tail } from './install-k3s.js';

export interface KubectlTarget {
  /** Servers to try, in order. */
  servers: string[];
  transportFor: (name: string) => Promise<Transport>;
}

/** `k3s kubectl ARGS` (args are fleet's own words and node names, never user text) → stdout. */
export async function kubectlOnServer(target: KubectlTarget, host: string, what: string, args: string[], timeoutMs = 30_000): Promise<string> {
  let last = 'no server to run kubectl on';
  for (const server of target.servers) {
    let result;
    try {
      result = await (await target.transportFor(server)).exec(`k3s kubectl ${args.join(' ')}`, { sudo: true, timeoutMs });
    } catch (err) {
      last = `${server}: ${(err as Error).message}`;
      continue;
    }
    if (result.exitCode === 0) return result.stdout;
    const output = tail(result.stderr || result.stdout, 3);
    // The API said no (unknown node, bad flag): another server would say the same.
    if (/^error:|Error from server/m.test(output)) throw new CommandError(host, what, result.exitCode, output);
    last = `${server}: ${output}`;
  }
  throw new CommandError(host, what, null, last, `${host}: ${what}: no server could run kubectl (${last})`);
}
