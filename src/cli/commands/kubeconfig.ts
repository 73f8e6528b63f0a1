// `fleet kubeconfig <inventory> [--merge]`: fetch the kubeconfig again from any live server, point
// it at the registration address (or that server) and keep it in .fleet/<cluster>/kubeconfig.
import type { Argv, CommandModule } from 'yargs';
import { ConnectionError } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { ConnectionPool } from '../../ssh/pool.js';
import { statePaths } from '../../state/paths.js';
import { fetchKubeconfig, mergeIntoUserKubeconfig, rewriteKubeconfig, writeSecretFile } from '../../steps/kubeconfig.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { sshOptions, withSshOptions, type SshCliOptions } from '../ssh-options.js';

interface KubeconfigArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  merge: boolean;
}

export function kubeconfigCommand(deps: CommandDeps): CommandModule<object, KubeconfigArgs> {
  return {
    command: 'kubeconfig <inventory>',
    describe: 'Fetch the kubeconfig again from any live server (registration address, else that server)',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('merge', { type: 'boolean', default: false, describe: 'Also add it to ~/.kube/config as a context named after the cluster' }) as unknown as Argv<KubeconfigArgs>,
    handler: async (args) => runKubeconfig(args, deps),
  };
}

export async function runKubeconfig(args: KubeconfigArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (inventory.cluster.token !== undefined) deps.secrets.push(inventory.cluster.token);
  const ssh = await sshOptions({ ...args, connectTimeout: args.connectTimeout ?? 5 });
  const pool = new ConnectionPool(inventory.hosts, { ...ssh, connectRetries: 0 });
  const tried: string[] = [];
  try {
    // Servers named in the inventory first; any host that runs a server will do.
    const ordered = [...inventory.hosts.filter((h) => h.role !== 'agent'), ...inventory.hosts.filter((h) => h.role === 'agent')];
    for (const host of ordered) {
      try {
        const raw = await fetchKubeconfig(await pool.get(host.name));
        const kubeconfig = rewriteKubeconfig(raw, inventory.cluster.name, inventory.cluster.registrationAddress ?? host.address);
        const path = statePaths(inventory).kubeconfig;
        writeSecretFile(path, kubeconfig);
        const merged = args.merge ? mergeIntoUserKubeconfig(kubeconfig) : undefined;
        if (args.json) deps.output.out(`${JSON.stringify({ kubeconfig: path, from: host.name, server: inventory.cluster.registrationAddress ?? host.address, ...(merged ? { merged } : {}) })}\n`);
        else deps.output.out(`Kubeconfig from ${host.name}: ${path}  (export KUBECONFIG=${path})${merged ? `\nMerged into ${merged} as context ${inventory.cluster.name}` : ''}\n`);
        return;
      } catch (err) {
        tried.push(`${host.name}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    throw new ConnectionError(inventory.hosts[0]!.name, `no server gave a kubeconfig (${tried.join('; ')})`, 'run fleet status to see which servers are up');
  } finally {
    await pool.close();
  }
}
