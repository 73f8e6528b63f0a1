// `fleet remove-node <inventory> --host NAME`: take one host out of the running cluster safely
// (quorum arithmetic shown and enforced, K3s's safe order) and out of the inventory file.
import type { Argv, CommandModule } from 'yargs';
import { inventoryPositional } from '../options/inventory-path.js';
import { oneText } from '../options/choice.js';
import { runRemoveNode, type RemoveNodeResult } from '../../operations/remove-node.js';
import { renderStepRuns } from '../../operations/step-report.js';
import { renderRemoveNodePlan } from '../../plan/render-removal.js';
import type { CommandDeps } from '../command-deps.js';
import { confirmDestructive } from '../confirm-destructive.js';
import type { GlobalOptions } from '../global-options.js';
import { commandSetup, withRunSession } from '../run-session.js';
import { withSshOptions, type SshCliOptions } from '../ssh-options.js';

interface RemoveNodeArgs extends GlobalOptions, SshCliOptions {
  inventory: string;
  host: string;
  allowEven: boolean;
  keepInInventory: boolean;
  yes: boolean;
  dryRun: boolean;
}

export function removeNodeCommand(deps: CommandDeps): CommandModule<object, RemoveNodeArgs> {
  return {
    command: 'remove-node <inventory>',
    describe: 'Take a host out of the running cluster (cordon, drain, stop, delete node and etcd member, uninstall) and out of the inventory',
    builder: (yargs: Argv<object>) =>
      withSshOptions(yargs)
        .positional('inventory', inventoryPositional)
        .option('host', { type: 'string', demandOption: true, coerce: oneText('--host', 'the inventory host to remove'), describe: 'The inventory host to remove' })
        .option('allow-even', { type: 'boolean', default: false, describe: 'Allow a removal that leaves an even number of servers (3 → 2 leaves no fault tolerance)' })
        .option('keep-in-inventory', { type: 'boolean', default: false, describe: "Leave the host's entry in the inventory file" })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Confirm without asking (for scripts)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Show the plan (connecting read-only for facts) and stop' })
        .example('$0 remove-node inventory.yaml --host pi5', 'Remove a server or an agent, asking first')
        .example('$0 remove-node inventory.yaml --host pi3 --allow-even --yes', 'Go from 3 servers to 2 (no fault tolerance left)') as unknown as Argv<RemoveNodeArgs>,
    handler: async (args) => runRemoveNodeCommand(args, deps),
  };
}

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
