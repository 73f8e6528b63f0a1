// `fleet kubeconfig <inventory> [--merge]`: fetch the kubeconfig again from any live server, point
// it at the registration address (or that server) and keep it in .fleet/<cluster>/kubeconfig.
import type { Argv, CommandModule } from 'yargs';
import { ConnectionError } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { ConnectionPool } from '../../ssh/pool.js';
import { statePaths } from '../../state/paths.js';
import { fetchKubeconfig, rewriteKubeconfig, writeSecretFile } from '../../steps/kubeconfig.js';
import { checkUserKubeconfig, mergeIntoUserKubeconfig } from '../../steps/kubeconfig-merge.js';
import { mergeOptionsOf, withKubeconfigOptions, type KubeconfigCliOptions } from '../kubeconfig-options.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { sshOptions, withSshOptions, type SshCliOptions } from '../ssh-options.js';

interface KubeconfigArgs extends GlobalOptions, SshCliOptions, KubeconfigCliOptions {
  inventory: string;
}

export function kubeconfigCommand(deps: CommandDeps): CommandModule<object, KubeconfigArgs> {
  return {
    command: 'kubeconfig <inventory>',
    describe: 'Fetch the kubeconfig again from any live server (registration address, else that server)',
    builder: (yargs: Argv<object>) =>
      withKubeconfigOptions(withSshOptions(yargs))
        .positional('inventory', { type: 'string', demandOption: true, describe: 'Path of the inventory YAML' }) as unknown as Argv<KubeconfigArgs>,
    handler: async (args) => runKubeconfig(args, deps),
  };
}

export async function runKubeconfig(args: KubeconfigArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (inventory.cluster.token !== undefined) deps.secrets.push(inventory.cluster.token);
  const merge = mergeOptionsOf(args, deps.env);
  if (merge) checkUserKubeconfig(merge.file);
  const name = args.context ?? inventory.cluster.name;
  const ssh = await sshOptions({ ...args, connectTimeout: args.connectTimeout ?? 5 });
  const pool = new ConnectionPool(inventory.hosts, { ...ssh, connectRetries: 0 });
  const tried: string[] = [];
  let found: { from: string; server: string; kubeconfig: string } | undefined;
  try {
    // Servers named in the inventory first; any host that runs a server will do.
    const ordered = [...inventory.hosts.filter((h) => h.role !== 'agent'), ...inventory.hosts.filter((h) => h.role === 'agent')];
    for (const host of ordered) {
      try {
        const raw = await fetchKubeconfig(await pool.get(host.name));
        const server = inventory.cluster.registrationAddress ?? host.address;
        found = { from: host.name, server, kubeconfig: rewriteKubeconfig(raw, name, server) };
        break;
      } catch (err) {
        tried.push(`${host.name}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    await pool.close();
  }
  if (!found) throw new ConnectionError(inventory.hosts[0]!.name, `no server gave a kubeconfig (${tried.join('; ')})`, 'run fleet status to see which servers are up');
  const path = statePaths(inventory).kubeconfig;
  writeSecretFile(path, found.kubeconfig);
  const merged = merge ? await mergeIntoUserKubeconfig(found.kubeconfig, merge) : undefined;
  if (args.json) deps.output.out(`${JSON.stringify({ kubeconfig: path, from: found.from, server: found.server, context: name, ...(merged ? { merged: merged.file, mergeChanged: merged.changed, ...(merged.backup ? { backup: merged.backup } : {}) } : {}) })}\n`);
  else {
    deps.output.out(`Kubeconfig from ${found.from}: ${path}  (export KUBECONFIG=${path})\n`);
    if (merged) deps.output.out(`${merged.changed ? 'Merged into' : 'Already in'} ${merged.file} as context ${name}${merged.backup ? ` (backup: ${merged.backup})` : ''}\n`);
  }
}
