// What `fleet reset` does when it runs, loaded only then (src/cli/commands/reset.ts defines its options).
import { forgetLocalState, type ForgottenState } from './forget-local-state.js';
import { runReset, type ResetResult } from './operation.js';
import { renderStepRuns } from '../../engine/step-report.js';
import { renderResetPlan } from '../remove-node/render.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { confirmDestructive } from '../../cli/confirm-destructive.js';
import { commandSetup, withRunSession } from '../../cli/run-session.js';
import type { ResetArgs } from '../../cli/commands/reset.js';

export async function runResetCommand(args: ResetArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps, { connectTimeout: 10, connectRetries: 0 });
  let result: ResetResult | undefined;
  let logFile = '';
  await withRunSession(inventory, args, deps, `reset ${args.inventory}`, ssh, async (session) => {
    logFile = session.logFile;
    result = await runReset(
      inventory,
      { transportFor: session.transportFor, progress: session.progress, signal: deps.signal },
      {
        keepState: args.keepState,
        concurrency: args.concurrency,
        planOnly: args.dryRun,
        confirm: async (plan) => {
          if (!args.quiet) deps.output.err(renderResetPlan(plan));
          await confirmDestructive({ what: `resetting cluster ${plan.cluster} (K3s removed from ${plan.hosts.length} hosts, all its data lost)`, yes: args.yes, typeToConfirm: plan.cluster });
        },
      },
    );
    session.progress.stop();
    session.logger.info({ exitCode: result.report?.exitCode ?? 0, planOnly: args.dryRun }, 'fleet reset finished');
  });
  const { plan, report } = result!;
  if (!report) {
    deps.output.out(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderResetPlan(plan));
    return;
  }
  // After the session: it held the lock and wrote the log inside the state directory.
  // Kept while any host still holds K3s (failed or unreachable): the next reset finishes the job.
  const hostsClean = report.unreachable.length === 0 && !report.steps?.some((s) => s.outcome !== 'changed' && s.outcome !== 'unchanged');
  let forgotten: ForgottenState | undefined;
  if (plan.removeLocalState && hostsClean) forgotten = forgetLocalState(inventory);
  else if (plan.removeLocalState) report.warnings.push('local state was kept: some host still holds K3s (run fleet reset again once it is fixed)');
  print(args, deps, { ...report, ...(forgotten ? { forgotten } : {}), ...(forgotten?.stateDir ? {} : { log: logFile }) }, forgotten);
  deps.setExitCode?.(report.exitCode);
}

function print(args: ResetArgs, deps: CommandDeps, report: NonNullable<ResetResult['report']> & { log?: string }, forgotten: ForgottenState | undefined): void {
  if (args.json) {
    deps.output.out(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines = [renderStepRuns(report.steps ?? []), ''];
  if (report.unreachable.length > 0) lines.push(`Unreachable, K3s left on them: ${report.unreachable.join(', ')}`);
  if (report.warnings.length > 0) lines.push('Warnings:', ...report.warnings.map((w) => `  ${w}`));
  if (forgotten?.stateDir) lines.push(`Removed local state ${forgotten.stateDir}`);
  if (forgotten?.kubeconfig) lines.push(`Removed cluster ${report.cluster}'s entries from ${forgotten.kubeconfig}`);
  lines.push(
    report.exitCode === 0 ? `Cluster ${report.cluster} was reset: no K3s left on any host.` : `The reset did not finish on every host (see above); run fleet reset again once they are reachable.`,
  );
  deps.output.out(`${lines.join('\n')}\n`);
}
