// What `fleet upgrade` does when it runs, loaded only then (src/cli/commands/upgrade.ts defines its options).
import { maxUnavailable } from '../../rules/max-unavailable.js';
import { runUpgrade } from './operation.js';
import { renderUpgradePlan } from './render.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { confirmDestructive } from '../../cli/confirm-destructive.js';
import { commandSetup, printRunResult, withRunSession } from '../../cli/run-session.js';
import type { UpgradeArgs } from '../../cli/commands/upgrade.js';

export async function runUpgradeCommand(args: UpgradeArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  const concurrency = args.concurrency ?? inventory.cluster.concurrency;
  // Bad flags are refused before anything connects (the agent count is known only from facts).
  maxUnavailable(args.maxUnavailable, 1, concurrency);
  await withRunSession(inventory, args, deps, `upgrade ${args.inventory}`, ssh, async (session) => {
    const { plan, report } = await runUpgrade(
      inventory,
      {
        transportFor: session.transportFor,
        progress: session.progress,
        signal: deps.signal,
        confirm: async (shown) => {
          if (!args.json && !args.quiet) deps.output.err(renderUpgradePlan(shown));
          await confirmDestructive({
            what: `upgrading ${shown.servers.length + shown.agentBatches.flat().length} host(s) of cluster ${shown.cluster} to ${shown.target} (each restarts)`,
            yes: args.yes,
          });
        },
      },
      {
        dryRun: args.dryRun,
        command: `upgrade ${args.inventory}`,
        concurrency,
        maxUnavailable: args.maxUnavailable,
        drain: args.drain,
        snapshot: args.snapshot,
        allowDowngrade: args.allowDowngrade,
        drainTimeoutSeconds: args.drainTimeout,
      },
    );
    if (!report) {
      session.progress.stop();
      deps.output.out(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderUpgradePlan(plan));
      return;
    }
    printRunResult(args, deps, session, report);
  });
}
