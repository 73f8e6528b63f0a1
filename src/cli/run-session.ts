// What commands share around their work, so none repeats the set-up: loading the inventory with
// its secrets registered for redaction and the SSH options resolved (commandSetup), one pool
// closed on every path (withPool, for read-only commands), and for `up`/`add-node` the run lock,
// the JSON run log, logged transports, progress on stderr and printing the run report.
import { renderNodeTable } from '../facts/nodes.js';
import { loggingTransport } from '../engine/logging-transport.js';
import { plainProgress, silentProgress, ttyProgress, type Progress } from '../engine/progress.js';
import { renderRunReport } from '../engine/render-report.js';
import { createRunLogger, runLogFile } from '../engine/run-log.js';
import type { RunJsonReport, RunReport } from '../engine/report.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../inventory/types.js';
import type { NodeInfo } from '../facts/nodes.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../ssh/pool.js';
import type { Transport } from '../ssh/transport.js';
import { RunLock } from '../state/lock.js';
import { onForcedExit } from '../state/forced-exit.js';
import { lazyClusterLock } from './cluster-lock-session.js';
import { statePaths } from '../state/state-paths.js';
import type { CommandDeps } from './command-deps.js';
import type { GlobalOptions } from './global-options.js';
import { sshOptions, type SshCliOptions } from './ssh-options.js';

export interface CommandSetup {
  inventory: Inventory;
  ssh: ConnectionPoolOptions;
}

/**
 * The inventory (its token registered as a secret before anything can print it) and the pool
 * options from the SSH flags; `defaults` are a command's own (status: a short connect timeout).
 */
export async function commandSetup(args: SshCliOptions & { inventory: string }, deps: CommandDeps, defaults: { connectTimeout?: number; connectRetries?: number } = {}): Promise<CommandSetup> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  return { inventory, ssh: await sshFor(inventory, args, deps, defaults) };
}

/** The SSH options for an inventory loaded by the command itself (add-node's with a new host). */
export async function sshFor(inventory: Inventory, args: SshCliOptions, deps: CommandDeps, defaults: { connectTimeout?: number; connectRetries?: number } = {}): Promise<ConnectionPoolOptions> {
  if (inventory.cluster.token !== undefined && !deps.secrets.includes(inventory.cluster.token)) deps.secrets.push(inventory.cluster.token);
  const ssh = await sshOptions({ ...args, connectTimeout: args.connectTimeout ?? defaults.connectTimeout });
  return defaults.connectRetries !== undefined ? { ...ssh, connectRetries: defaults.connectRetries } : ssh;
}

/** One pool for a read-only command, closed however `work` ends. */
export async function withPool<T>(setup: CommandSetup, work: (transportFor: (name: string) => Promise<Transport>, pool: ConnectionPool) => Promise<T>): Promise<T> {
  const pool = new ConnectionPool(setup.inventory.hosts, setup.ssh);
  try {
    return await work((name) => pool.get(name), pool);
  } finally {
    await pool.close();
  }
}

export interface RunSession {
  /** `up`, `add-node`: the log's messages name it (`fleet up finished`). */
  verb: string;
  pool: ConnectionPool;
  logger: ReturnType<typeof createRunLogger>;
  logFile: string;
  progress: Progress;
  transportFor: (name: string) => Promise<Transport>;
}

function chooseProgress(args: GlobalOptions, hosts: string[]): Progress {
  if (args.quiet) return silentProgress;
  if (process.stderr.isTTY && !args.json) return ttyProgress(process.stderr, hosts);
  return plainProgress((text) => void process.stderr.write(text));
}

/**
 * Run `work` inside a session: lock taken first, everything released after, however `work` ends.
 * A failure is logged and rethrown to main.ts's one catch (with the report so far under --json).
 */
export async function withRunSession(
  inventory: Inventory,
  args: GlobalOptions & { logLevel?: string },
  deps: CommandDeps,
  command: string,
  ssh: ConnectionPoolOptions,
  work: (session: RunSession) => Promise<void>,
): Promise<void> {
  const paths = statePaths(inventory);
  const lock = RunLock.acquire(paths.lock, `fleet ${command}`);
  const forgetLocalLock = onForcedExit(() => lock.release());
  // Whatever fails from here on (even building the pool or the log), the lock is released.
  try {
    await runLocked(inventory, args, deps, command, paths.logs, ssh, work);
  } finally {
    lock.release();
    forgetLocalLock();
  }
}

async function runLocked(
  inventory: Inventory,
  args: GlobalOptions & { logLevel?: string },
  deps: CommandDeps,
  command: string,
  logs: string,
  ssh: ConnectionPoolOptions,
  work: (session: RunSession) => Promise<void>,
): Promise<void> {
  const pool = new ConnectionPool(inventory.hosts, ssh);
  const logFile = runLogFile(logs, new Date());
  const logger = createRunLogger(logFile, args.logLevel ?? 'info', () => deps.secrets);
  const transports = new Map<string, Promise<Transport>>();
  const connect = (name: string) => {
    let transport = transports.get(name);
    if (!transport) {
      transport = pool.get(name).then((inner) => loggingTransport(inner, logger));
      transports.set(name, transport);
    }
    return transport;
  };
  // The cluster lock (on the servers) is taken before the first host is used, so what the
  // inventory alone refuses is still refused without contacting anyone.
  const clusterLock = lazyClusterLock(inventory, `fleet ${command}`, connect, logger);
  const transportFor = async (name: string) => {
    await clusterLock.take();
    return connect(name);
  };
  const progress = chooseProgress(
    args,
    inventory.hosts.map((h) => h.name),
  );
  const verb = command.split(' ')[0]!;
  logger.info({ inventory: inventory.file, hosts: inventory.hosts.length }, `fleet ${verb} started`);
  try {
    await work({ verb, pool, logger, logFile, progress, transportFor });
  } catch (err) {
    progress.stop();
    // Under --json, main.ts prints the error envelope, with the report a PreflightFailed carries.
    logger.error({ error: (err as Error).message }, `fleet ${verb} stopped`);
    throw err;
  } finally {
    await clusterLock.release();
    await pool.close();
  }
}

/** The end of a run: the JSON report, or the table and the nodes for people; sets the exit code. */
export function printRunResult(args: GlobalOptions, deps: CommandDeps, session: RunSession, report: RunReport, verify?: { nodes: NodeInfo[] }): void {
  session.logger.info({ exitCode: report.exitCode, durationMs: report.durationMs, connections: session.pool.connectionsOpened }, `fleet ${session.verb} finished`);
  const json: RunJsonReport = { ...report, log: session.logFile, connections: session.pool.connectionsOpened };
  if (args.json) deps.output.out(`${JSON.stringify(json, null, 2)}\n`);
  else {
    deps.output.out(renderRunReport(report));
    if (verify && !args.quiet) deps.output.out(`\n${renderNodeTable(verify.nodes)}\n`);
    if (args.verbose) deps.output.out(`Log: ${session.logFile}\n`);
  }
  deps.setExitCode?.(report.exitCode);
}
