// What `fleet plan` does when it runs, loaded only then (src/cli/commands/plan.ts defines its options).
import { ConnectionError, SafetyError } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import type { Inventory } from '../../inventory/types.js';
import { plan } from '../up/plan.js';
import type { Plan } from '../up/types.js';
import { gatherAndPlan } from '../up/gather-and-plan.js';
import { ConnectionPool } from '../../ssh/pool.js';
import { renderPlanHuman } from '../up/render.js';
import { renderPlanJson } from '../up/render-json.js';
import type { FleetFacts } from '../../facts/types.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { logLevelOf } from '../../cli/global-options.js';
import { createLogger } from '../../cli/logger.js';
import { sshOptions } from '../../cli/ssh-options.js';
import type { PlanArgs } from '../../cli/commands/plan.js';

export async function runPlan(args: PlanArgs, deps: CommandDeps): Promise<void> {
  const logger = createLogger(logLevelOf(args));
  const inventory = loadInventory(args.inventory, { env: deps.env });
  if (inventory.cluster.token !== undefined) deps.secrets.push(inventory.cluster.token);
  if (args.concurrency !== undefined) inventory.cluster.concurrency = args.concurrency;
  logger.info({ file: inventory.file, hosts: inventory.hosts.length, tokenSource: inventory.cluster.tokenSource ?? 'none' }, 'inventory loaded');

  const result = args.dryRun ? plan(inventory) : await planWithFacts(inventory, args, deps, logger.info.bind(logger));
  logger.debug({ steps: result.steps.length, warnings: result.warnings.length }, 'planned');

  if (args.json) deps.output.out(renderPlanJson(result));
  else deps.output.out(renderPlanHuman(result, { style: deps.output.style, brief: args.quiet }));
  // The plan shows what up would refuse; the exit code says so too (3), after the plan is printed.
  if (result.refusal) throw new SafetyError(result.refusal.message, 'fix the hosts above and run fleet plan again');
}

/** The same gather → live server → plan as `fleet up` (src/ops/up/gather-and-plan.ts), read-only. */
async function planWithFacts(inventory: Inventory, args: PlanArgs, deps: CommandDeps, log: (message: string) => void): Promise<Plan> {
  log(`gathering facts from ${inventory.hosts.length} hosts`);
  const pool = new ConnectionPool(inventory.hosts, await sshOptions(args));
  try {
    const transportFor = (name: string) => pool.get(name);
    const gather = () => deps.gatherFacts(inventory, { concurrency: inventory.cluster.concurrency, signal: deps.signal, transportFor });
    const prepared = await gatherAndPlan(inventory, { transportFor, signal: deps.signal }, { concurrency: inventory.cluster.concurrency, gather, checkFacts: refuseUnreachable });
    return prepared.plan;
  } finally {
    await pool.close();
  }
}

function refuseUnreachable(facts: FleetFacts): void {
  const unreachable = [...facts.values()].filter((host) => !host.reachable);
  if (unreachable.length === 0) return;
  const list = unreachable
    .map((host) => {
      const reason = host.error ?? 'unreachable';
      return reason.startsWith(`${host.host}: `) ? reason : `${host.host}: ${reason}`;
    })
    .join('; ');
  throw new ConnectionError(unreachable[0]!.host, `cannot plan without facts from every host (${list})`, 'fix SSH access, or use --dry-run to plan from the inventory alone');
}
