// What `fleet doctor` does when it runs, loaded only then (src/cli/commands/doctor.ts defines its options).
import type { CommandDeps } from '../../cli/command-deps.js';
import { DOCTOR_CONNECT_TIMEOUT_S, type DoctorArgs } from '../../cli/commands/doctor.js';
import { commandSetup, withPool } from '../../cli/run-session.js';
import { runDoctor } from './operation.js';
import { renderDoctor } from './render.js';

export async function runDoctorCommand(args: DoctorArgs, deps: CommandDeps): Promise<void> {
  const setup = await commandSetup(args, deps, { connectTimeout: DOCTOR_CONNECT_TIMEOUT_S, connectRetries: 0 });
  await withPool(setup, async (transportFor) => {
    const report = await runDoctor(setup.inventory, { transportFor, signal: deps.signal }, { concurrency: args.concurrency ?? setup.inventory.cluster.concurrency });
    deps.output.out(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctor(report));
    deps.setExitCode?.(report.exitCode);
  });
}
