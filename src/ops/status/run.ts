// What `fleet status` does when it runs, loaded only then (src/cli/commands/status.ts defines its options).
import { renderStatusHuman } from './render.js';
import { ExitCode } from '../../errors.js';
import { gatherStatus } from './gather.js';
import { missingTokenWarning } from '../../token/backup.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { commandSetup, withPool } from '../../cli/run-session.js';
import { STATUS_CONNECT_TIMEOUT_S, type StatusArgs } from '../../cli/commands/status.js';
import { statePaths } from '../../state/state-paths.js';
import { defaultKubeconfigPath } from '../../state/kubeconfig-merge.js';
import { readKubeconfigCertificates } from '../../state/kubeconfig-certs.js';

export async function runStatus(args: StatusArgs, deps: CommandDeps): Promise<void> {
  const setup = await commandSetup(args, deps, { connectTimeout: STATUS_CONNECT_TIMEOUT_S, connectRetries: 0 });
  await withPool(setup, async (transportFor) => {
    // fleet's own kubeconfig, and the entries `--merge` put into the user's (named after the cluster).
    const kubeconfigs = readKubeconfigCertificates([{ file: statePaths(setup.inventory).kubeconfig }, { file: defaultKubeconfigPath(deps.env), users: [setup.inventory.cluster.name] }]);
    const status = await gatherStatus(setup.inventory, { transportFor, signal: deps.signal }, { nowMs: Date.now(), kubeconfigs, inventoryFile: args.inventory });
    const tokenWarning = missingTokenWarning(
      setup.inventory,
      status.hosts.some((h) => h.role === 'server'),
    );
    deps.output.out(args.json ? `${JSON.stringify(tokenWarning ? { ...status, warnings: [tokenWarning] } : status, null, 2)}\n` : renderStatusHuman(status));
    if (tokenWarning && !args.json) deps.output.err(`warning: ${tokenWarning}\n`);
    const failing = !status.quorumHolds || status.certificatesStatus === 'fail' || (args.strict && (!status.allHealthy || status.certificatesStatus !== 'ok'));
    deps.setExitCode?.(failing ? ExitCode.hostFailed : ExitCode.ok);
  });
}
