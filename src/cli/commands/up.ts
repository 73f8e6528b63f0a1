// `fleet up <inventory>`: plan with facts and carry the plan out. The command is thin: parse,
// lock, connect, call runUp, print; errors go to the one catch in main.ts.
import type { Argv, CommandModule } from 'yargs';
import { loadInventory } from '../../inventory/load.js';
import { renderNodeTable } from '../../cluster/nodes.js';
import { loggingTransport } from '../../exec/logging-transport.js';
import { plainProgress, silentProgress, ttyProgress, type Progress } from '../../exec/progress.js';
import { renderRunReport } from '../../exec/render-report.js';
import { createRunLogger, runLogFile } from '../../exec/run-log.js';
import { PreflightFailed, runUp } from '../../exec/up.js';
import { ConnectionPool } from '../../ssh/pool.js';
import type { Transport } from '../../ssh/transport.js';
import { RunLock } from '../../state/lock.js';
import { statePaths } from '../../state/paths.js';
import { logLevelOf, withGlobalOptions, type GlobalOptions } from '../global-options.js';
import { sshOptions, withSshOptions, type SshCliOptions } from '../ssh-options.js';
import type { CommandDeps } from '../command-deps.js';
import { terminalConfirm } from '../confirm.js';

interface UpArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  merge: boolean;
  yes: boolean;
}

export function upCommand(deps: CommandDeps): CommandModule<object, UpArgs> {
  return {
    command: 'up <inventory>',
    describe: 'Bring the cluster to what the inventory says: install, join, verify (idempotent)',
    builder: (yargs: Argv<object>) =>
      withSshOptions(withGlobalOptions(yargs))
        .positional('inventory', { type: 'string', demandOption: true, describe: 'Path of the inventory YAML' })
        .option('merge', { type: 'boolean', default: false, describe: 'Also add the kubeconfig to ~/.kube/config as a context named after the cluster' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm the removal of stale etcd members of re-imaged hosts without asking' })
        .example('$0 up inventory.yaml', 'Create or converge the cluster')
        .example('$0 up inventory.yaml --json > report.json', 'Machine-readable run report') as unknown as Argv<UpArgs>,
    handler: async (args) => runUpCommand(args, deps),
  };
}

function chooseProgress(args: GlobalOptions, hosts: string[]): Progress {
  if (args.quiet) return silentProgress;
  if (process.stderr.isTTY && !args.json) return ttyProgress(process.stderr, hosts);
  return plainProgress((text) => void process.stderr.write(text));
}

export async function runUpCommand(args: UpArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (inventory.cluster.token !== undefined) deps.secrets.push(inventory.cluster.token);
  const paths = statePaths(inventory);
  const lock = RunLock.acquire(paths.lock, `fleet up ${args.inventory}`);
  const pool = new ConnectionPool(inventory.hosts, await sshOptions(args));
  const logFile = runLogFile(paths.logs, new Date());
  const logger = createRunLogger(logFile, args.logLevel ?? 'info', () => deps.secrets);
  const transports = new Map<string, Promise<Transport>>();
  const transportFor = (name: string) => {
    let t = transports.get(name);
    if (!t) {
      t = pool.get(name).then((inner) => loggingTransport(inner, logger));
      transports.set(name, t);
    }
    return t;
  };
  const progress = chooseProgress(args, inventory.hosts.map((h) => h.name));
  logger.info({ inventory: inventory.file, hosts: inventory.hosts.length }, 'fleet up started');
  try {
    const { report, verify } = await runUp(inventory, { transportFor, progress, logger, signal: deps.signal, confirm: terminalConfirm() }, { concurrency: args.concurrency, merge: args.merge, yes: args.yes, command: `up ${args.inventory}` });
    logger.info({ exitCode: report.exitCode, durationMs: report.durationMs, connections: pool.connectionsOpened }, 'fleet up finished');
    if (args.json) deps.output.out(`${JSON.stringify({ ...report, log: logFile, connections: pool.connectionsOpened }, null, 2)}\n`);
    else {
      deps.output.out(renderRunReport(report));
      if (verify && !args.quiet) deps.output.out(`\n${renderNodeTable(verify.nodes)}\n`);
      if (args.verbose) deps.output.out(`Log: ${logFile}\n`);
    }
    deps.setExitCode?.(report.exitCode);
  } catch (err) {
    progress.stop();
    if (err instanceof PreflightFailed && args.json) deps.output.out(`${JSON.stringify(err.report, null, 2)}\n`);
    logger.error({ error: (err as Error).message }, 'fleet up stopped');
    throw err;
  } finally {
    lock.release();
    await pool.close();
  }
}
