// What `fleet kubeconfig` does when it runs, loaded only then (src/cli/commands/kubeconfig.ts defines its options).
import { ConnectionError } from '../../errors.js';
import { findLiveServer, serverCandidates } from '../../facts/live-server.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import { statePaths } from '../../state/state-paths.js';
import { fetchKubeconfig, rewriteKubeconfig, writeSecretFile } from '../../actions/fetch-kubeconfig.js';
import { checkUserKubeconfig, mergeIntoUserKubeconfig } from '../../state/kubeconfig-merge.js';
import { mergeOptionsOf } from '../../cli/kubeconfig-options.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { commandSetup, withPool } from '../../cli/run-session.js';
import type { KubeconfigArgs } from '../../cli/commands/kubeconfig.js';

export async function runKubeconfig(args: KubeconfigArgs, deps: CommandDeps): Promise<void> {
  const setup = await commandSetup(args, deps, { connectTimeout: 5, connectRetries: 0 });
  const { inventory } = setup;
  const merge = mergeOptionsOf(args, deps.env);
  if (merge) checkUserKubeconfig(merge.file);
  const name = args.context ?? inventory.cluster.name;
  const found = await withPool(setup, async (transportFor) => {
    // The same live, healthy server up and add-node use; else any host that runs a server.
    const facts = await gatherFleetFacts(inventory, { transportFor, signal: deps.signal }, { concurrency: 20, measureDisks: false });
    const live = await findLiveServer(
      inventory.hosts.map((h) => h.name),
      facts,
      transportFor,
    );
    const ordered = [
      ...new Set([
        ...(live ? [live.name] : []),
        ...serverCandidates(
          inventory.hosts.map((h) => h.name),
          facts,
          { etcdOnly: false },
        ),
      ]),
    ];
    const tried: string[] = [];
    for (const from of ordered) {
      const host = inventory.hosts.find((h) => h.name === from)!;
      try {
        const raw = await fetchKubeconfig(await transportFor(from));
        const server = inventory.cluster.registrationAddress ?? host.address;
        return { from, server, kubeconfig: rewriteKubeconfig(raw, name, server) };
      } catch (err) {
        tried.push(`${from}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const down = [...facts.values()].filter((f) => !f.reachable).map((f) => `${f.host}: ${f.error ?? 'unreachable'}`);
    throw new ConnectionError(
      inventory.hosts[0]!.name,
      `no server gave a kubeconfig (${[...tried, ...down].join('; ') || 'no host runs a K3s server'})`,
      'run fleet status to see which servers are up',
    );
  });
  const path = statePaths(inventory).kubeconfig;
  writeSecretFile(path, found.kubeconfig);
  const merged = merge ? await mergeIntoUserKubeconfig(found.kubeconfig, merge) : undefined;
  if (args.json)
    deps.output.out(
      `${JSON.stringify({ kubeconfig: path, from: found.from, server: found.server, context: name, ...(merged ? { merged: merged.file, mergeChanged: merged.changed, ...(merged.backup ? { backup: merged.backup } : {}) } : {}) })}\n`,
    );
  else {
    deps.output.out(`Kubeconfig from ${found.from}: ${path}  (export KUBECONFIG=${path})\n`);
    if (merged) deps.output.out(`${merged.changed ? 'Merged into' : 'Already in'} ${merged.file} as context ${name}${merged.backup ? ` (backup: ${merged.backup})` : ''}\n`);
  }
}
