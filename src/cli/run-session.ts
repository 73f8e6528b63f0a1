// What `fleet up` and `fleet add-node` share around the executor: the run lock, one connection
// pool, the JSON run log, logged transports, progress on stderr, and printing the run report.
import { renderNodeTable } from '../cluster/nodes.js';
import { loggingTransport } from '../exec/logging-transport.js';
import { plainProgress, silentProgress, ttyProgress, type Progress } from '../exec/progress.js';
import { renderRunReport } from '../exec/render-report.js';
import { createRunLogger, runLogFile } from '../exec/run-log.js';
import type { RunReport } from '../exec/run-report.js';
import type { Inventory } from '../inventory/types.js';
import type { NodeInfo } from '../cluster/nodes.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../ssh/pool.js';
import type { Transport } from '../ssh/transport.js';
import { RunLock } from '../state/lock.js';
import { statePaths } from '../state/paths.js';
import type { CommandDeps } from './command-deps.js';
import type { GlobalOptions } from './global-options.js';

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
  // Whatever fails from here on (even building the pool or the log), the lock is released.
  try {
    await runLocked(inventory, args, deps, command, paths.logs, ssh, work);
  } finally {
    lock.release();
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
  const transportFor = (name: string) => {
    let transport = transports.get(name);
    if (!transport) {
      transport = pool.get(name).then((inner) => loggingTransport(inner, logger));
      transports.set(name, transport);
    }
    return transport;
  };
  const progress = chooseProgress(args, inventory.hosts.map((h) => h.name));
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
    await pool.close();
  }
}

/** The end of a run: the JSON report, or the table and the nodes for people; sets the exit code. */
export function printRunResult(args: GlobalOptions, deps: CommandDeps, session: RunSession, report: RunReport, verify?: { nodes: NodeInfo[] }): void {
  session.logger.info({ exitCode: report.exitCode, durationMs: report.durationMs, connections: session.pool.connectionsOpened }, `fleet ${session.verb} finished`);
  if (args.json) deps.output.out(`${JSON.stringify({ ...report, log: session.logFile, connections: session.pool.connectionsOpened }, null, 2)}\n`);
  else {
    deps.output.out(renderRunReport(report));
    if (verify && !args.quiet) deps.output.out(`\n${renderNodeTable(verify.nodes)}\n`);
    if (args.verbose) deps.output.out(`Log: ${session.logFile}\n`);
  }
  deps.setExitCode?.(report.exitCode);
}
