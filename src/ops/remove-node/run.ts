// What `fleet remove-node` does when it runs, loaded only then (src/cli/commands/remove-node.ts defines its options).
import { runRemoveNode, type RemoveNodeResult } from './operation.js';
import { renderStepRuns } from '../../engine/step-report.js';
import { renderRemoveNodePlan } from './render.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { confirmDestructive } from '../../cli/confirm-destructive.js';
import { commandSetup, withRunSession } from '../../cli/run-session.js';
import type { RemoveNodeArgs } from '../../cli/commands/remove-node.js';

export async function runRemoveNodeCommand(args: RemoveNodeArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps, { connectTimeout: 10, connectRetries: 0 });
  await withRunSession(inventory, args, deps, `remove-node ${args.inventory}`, ssh, async (session) => {
    const result = await runRemoveNode(
      inventory,
      { transportFor: session.transportFor, progress: session.progress, signal: deps.signal },
      {
        host: args.host,
        allowEven: args.allowEven,
        keepInInventory: args.keepInInventory,
        planOnly: args.dryRun,
        confirm: async (plan) => {
          if (!args.quiet) deps.output.err(renderRemoveNodePlan(plan));
          await confirmDestructive({ what: `removing ${plan.host} from cluster ${plan.cluster}`, yes: args.yes });
        },
      },
    );
    session.progress.stop();
    session.logger.info({ exitCode: result.report?.exitCode ?? 0, planOnly: args.dryRun }, 'fleet remove-node finished');
    printResult(args, deps, result, session.logFile);
  });
}

function printResult(args: RemoveNodeArgs, deps: CommandDeps, result: RemoveNodeResult, logFile: string): void {
  const { plan, report } = result;
  if (!report) {
    deps.output.out(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderRemoveNodePlan(plan));
    return;
  }
  if (args.json) deps.output.out(`${JSON.stringify({ ...report, log: logFile }, null, 2)}\n`);
  else {
    const lines = [renderStepRuns(report.steps ?? []), ''];
    if (plan.arithmetic) lines.push(`Servers: ${plan.arithmetic.text}.`);
    if (report.warnings.length > 0) lines.push('Warnings:', ...report.warnings.map((w) => `  ${w}`));
    lines.push(
      report.exitCode === 0
        ? `${plan.host} was removed from cluster ${plan.cluster}.`
        : `Removing ${plan.host} did not finish; fix what failed above and run fleet remove-node again: steps already done are found done.`,
    );
    deps.output.out(`${lines.join('\n')}\n`);
  }
  deps.setExitCode?.(report.exitCode);
}
