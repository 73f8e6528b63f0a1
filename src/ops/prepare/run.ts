// What `fleet prepare` does when it runs, loaded only then (src/cli/commands/prepare.ts defines its options).
import { ExitCode, SafetyError } from '../../errors.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import { runPrepare, type PrepareReport } from './operation.js';
import { loadInventory } from '../../inventory/load.js';
import type { Inventory } from '../../inventory/types.js';
import { planPrepare, type PreparePlan } from './plan.js';
import { ConnectionPool, type ConnectionPoolOptions } from '../../ssh/pool.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { terminalConfirm } from '../../cli/confirm.js';
import type { GlobalOptions } from '../../cli/global-options.js';
import { sshFor, withRunSession } from '../../cli/run-session.js';
import type { SshCliOptions } from '../../cli/ssh-options.js';
import type { PrepareArgs } from '../../cli/commands/prepare.js';

export async function runPrepareCommand(args: PrepareArgs, deps: CommandDeps): Promise<void> {
  const inventory = loadInventory(args.inventory, { env: deps.env });
  const report = await prepareFleet(inventory, args, deps);
  if (args.json) deps.output.out(`${JSON.stringify(report, null, 2)}\n`);
  deps.setExitCode?.(report.hosts.some((h) => h.error) ? ExitCode.hostFailed : ExitCode.ok);
}

/** Gather, plan, show, confirm, carry out; the report. Shared by `prepare` and `up --prepare`. */
export async function prepareFleet(inventory: Inventory, args: GlobalOptions & SshCliOptions & { yes: boolean }, deps: CommandDeps): Promise<PrepareReport> {
  const ssh = await sshFor(inventory, args, deps);
  let report: PrepareReport | undefined;
  await withRunSession(inventory, args, deps, `prepare ${inventory.file}`, ssh, async (session) => {
    const concurrency = args.concurrency ?? inventory.cluster.concurrency;
    const facts = await gatherFleetFacts(inventory, { transportFor: session.transportFor, progress: session.progress, signal: deps.signal }, { concurrency, measureDisks: false });
    const plan = planPrepare(inventory, facts);
    const rebooting = [...plan.rebootTogether, ...plan.rebootOneByOne];
    const summary = describePlan(plan);
    if (!args.json && !args.quiet) deps.output.out(summary);
    if (rebooting.length > 0) await confirmReboots(rebooting, args.yes);
    report =
      rebooting.length === 0
        ? { changed: false, hosts: plan.hosts.map((h) => ({ name: h.name, cmdline: 'untouched' as const, rebooted: false, reason: h.reason })) }
        : await runPrepare(
            inventory,
            facts,
            plan,
            { transportFor: session.transportFor, freshTransport: freshTransportFactory(inventory, ssh), progress: session.progress, signal: deps.signal },
            { concurrency },
          );
    if (!args.json && !args.quiet && rebooting.length > 0) deps.output.out(describeReport(report));
  });
  return report!;
}

async function confirmReboots(hosts: string[], yes: boolean): Promise<void> {
  if (yes) return;
  const confirm = terminalConfirm();
  if (!confirm) throw new SafetyError(`fleet prepare would reboot ${hosts.join(', ')}; nothing was changed`, 'run it in a terminal to confirm, or add --yes');
  if (!(await confirm(`Fix cmdline.txt and reboot ${hosts.join(', ')}? [y/N] `))) throw new SafetyError('not confirmed; nothing was changed');
}

/** A new pool per wait attempt: the rebooted host's old connection is dead. */
function freshTransportFactory(inventory: Inventory, ssh: ConnectionPoolOptions) {
  return async (name: string) => {
    const pool = new ConnectionPool(
      inventory.hosts.filter((h) => h.name === name),
      { ...ssh, connectRetries: 0, connectTimeoutMs: 10_000 },
    );
    try {
      return { transport: await pool.get(name), close: () => pool.close() };
    } catch (err) {
      await pool.close();
      throw err;
    }
  };
}

function describePlan(plan: PreparePlan): string {
  const lines = plan.hosts.map((h) => `  ${h.name}: ${h.action === 'fix-and-reboot' ? `add the memory cgroup to ${h.cmdlinePath} and reboot (${h.reason})` : `nothing to do (${h.reason})`}`);
  if (plan.rebootOneByOne.length > 0) lines.push(`  K3s servers reboot one at a time: ${plan.rebootOneByOne.join(', ')}`);
  return `Prepare:\n${lines.join('\n')}\n`;
}

function describeReport(report: PrepareReport): string {
  const lines = report.hosts
    .filter((h) => h.rebooted || h.error)
    .map((h) => `  ${h.name}: ${h.error ? `failed: ${h.error}` : `cmdline ${h.cmdline}, rebooted (boot id ${h.bootIdAfter}), memory cgroup ${h.memoryCgroup ? 'enabled' : 'disabled'}`}`);
  return `Prepared:\n${lines.join('\n')}\n`;
}
