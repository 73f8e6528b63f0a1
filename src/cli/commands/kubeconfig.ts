// `fleet kubeconfig <inventory> [--merge]`: fetch the kubeconfig again from any live server, point
// it at the registration address (or that server) and keep it in .fleet/<cluster>/kubeconfig.
import type { Argv, CommandModule } from 'yargs';
import { withKubeconfigOptions, type KubeconfigCliOptions } from '../kubeconfig-options.js';
import { inventoryPositional } from '../options/inventory-path.js';
import type { CommandDeps } from '../command-deps.js';
import type { GlobalOptions } from '../global-options.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

export interface KubeconfigArgs extends GlobalOptions, SshCliOptions, KubeconfigCliOptions {
  inventory: string;
}

export function kubeconfigCommand(deps: CommandDeps): CommandModule<object, KubeconfigArgs> {
  return {
    command: 'kubeconfig <inventory>',
    describe: 'Fetch the kubeconfig again from any live server (registration address, else that server)',
    builder: (yargs: Argv<object>) => withKubeconfigOptions(withSshOptions(yargs)).positional('inventory', inventoryPositional) as unknown as Argv<KubeconfigArgs>,
    handler: async (args) => (await import('../../ops/kubeconfig/run.js')).runKubeconfig(args, deps),
  };
}
