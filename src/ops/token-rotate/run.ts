// What `fleet token rotate` does when it runs, loaded only then (src/cli/commands/token.ts defines its options).
import type { CommandDeps } from '../../cli/command-deps.js';
import { confirmDestructive } from '../../cli/confirm-destructive.js';
import type { TokenRotateArgs } from '../../cli/commands/token.js';
import { commandSetup, printRunResult, withRunSession } from '../../cli/run-session.js';
import { maxUnavailable } from '../../rules/max-unavailable.js';
import { givenNewToken } from '../../token/rotation.js';
import { runTokenRotate } from './operation.js';
import { renderTokenRotatePlan } from './render.js';

export async function runTokenRotateCommand(args: TokenRotateArgs, deps: CommandDeps): Promise<void> {
  const { inventory, ssh } = await commandSetup(args, deps);
  const concurrency = args.concurrency ?? inventory.cluster.concurrency;
  maxUnavailable(args.maxUnavailable, 1, concurrency);
  // A new token file that cannot be read is refused before anything connects.
  const given = givenNewToken(args.newTokenFile, deps.env);
  if (given) deps.secrets.push(given.token);
  await withRunSession(inventory, args, deps, `token rotate ${args.inventory}`, ssh, async (session) => {
    const { plan, report, notes } = await runTokenRotate(
      inventory,
      {
        transportFor: session.transportFor,
        progress: session.progress,
        secrets: deps.secrets,
        signal: deps.signal,
        confirm: async (shown) => {
          if (!args.json && !args.quiet) deps.output.err(renderTokenRotatePlan(shown));
          const restarts = shown.hosts.filter((h) => h.action !== 'none').length;
          await confirmDestructive({ what: `rotating the token of cluster ${shown.cluster} (${restarts} host(s) restart one server at a time)`, yes: args.yes });
        },
      },
      {
        dryRun: args.dryRun,
        command: `token rotate ${args.inventory}`,
        ...(given ? { given } : {}),
        ...(args.maxUnavailable !== undefined ? { maxUnavailable: args.maxUnavailable } : {}),
        concurrency,
      },
    );
    if (!report) {
      session.progress.stop();
      deps.output.out(args.json ? `${JSON.stringify(plan, null, 2)}\n` : renderTokenRotatePlan(plan));
      return;
    }
    printRunResult(args, deps, session, report);
    if (!args.json) for (const note of notes) deps.output.out(`${note}\n`);
  });
}
