// What `fleet status` does when it runs, loaded only then (src/cli/commands/status.ts defines its options).
import { renderStatusHuman } from './render.js';
import { ExitCode } from '../../errors.js';
import { gatherStatus } from './gather.js';
import { missingTokenWarning } from '../../token/backup.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { commandSetup, withPool } from '../../cli/run-session.js';
import { STATUS_CONNECT_TIMEOUT_S, type StatusArgs } from '../../cli/commands/status.js';

export async function runStatus(args: StatusArgs, deps: CommandDeps): Promise<void> {
  const setup = await commandSetup(args, deps, { connectTimeout: STATUS_CONNECT_TIMEOUT_S, connectRetries: 0 });
  await withPool(setup, async (transportFor) => {
    const status = await gatherStatus(setup.inventory, { transportFor, signal: deps.signal });
    const tokenWarning = missingTokenWarning(
      setup.inventory,
      status.hosts.some((h) => h.role === 'server'),
    );
    deps.output.out(args.json ? `${JSON.stringify(tokenWarning ? { ...status, warnings: [tokenWarning] } : status, null, 2)}\n` : renderStatusHuman(status));
    if (tokenWarning && !args.json) deps.output.err(`warning: ${tokenWarning}\n`);
    const failing = !status.quorumHolds || (args.strict && !status.allHealthy);
    deps.setExitCode?.(failing ? ExitCode.hostFailed : ExitCode.ok);
  });
}
