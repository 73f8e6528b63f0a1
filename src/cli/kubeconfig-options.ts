// The options that shape the kubeconfig fleet writes and merges, shared by `fleet up` and
// `fleet kubeconfig`: --context (its name), --set-current, --force (replace same-named entries).
import type { Argv } from 'yargs';
import { defaultKubeconfigPath, type MergeOptions } from '../state/kubeconfig-merge.js';

export interface KubeconfigCliOptions {
  merge: boolean;
  context?: string;
  setCurrent: boolean;
  force: boolean;
}

/** Names kubectl users type; nothing that could surprise a shell or a YAML reader. */
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$/;

export function withKubeconfigOptions<T>(yargs: Argv<T>): Argv<T & KubeconfigCliOptions> {
  return yargs
    .option('merge', { type: 'boolean', default: false, describe: "Also add the kubeconfig to ~/.kube/config ($KUBECONFIG's first file); same-named entries that differ are refused" })
    .option('context', { type: 'string', describe: "Name of the kubeconfig's context, cluster and user (default: the cluster's name)" })
    .option('set-current', { type: 'boolean', default: false, describe: 'With --merge: make it the current context' })
    .option('force', { type: 'boolean', default: false, describe: 'With --merge: replace same-named entries that differ (the old file is backed up beside it)' })
    .check((args) => {
      const context = args['context'];
      if (context !== undefined && !(typeof context === 'string' && CONTEXT_NAME.test(context))) {
        throw new Error('--context must be 1-63 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
      }
      if ((args['setCurrent'] || args['force']) && !args['merge']) throw new Error('--set-current and --force only apply with --merge');
      return true;
    }) as unknown as Argv<T & KubeconfigCliOptions>;
}

export function mergeOptionsOf(args: KubeconfigCliOptions, env: Record<string, string | undefined>): MergeOptions | undefined {
  return args.merge ? { force: args.force, setCurrent: args.setCurrent, file: defaultKubeconfigPath(env) } : undefined;
}
