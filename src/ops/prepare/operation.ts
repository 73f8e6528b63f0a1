// `fleet prepare`: carries out planPrepare. On each Pi to fix: cmdline.txt gets the memory cgroup
// parameters (re-read just before, so a second run changes nothing), then the Pi reboots and fleet
// waits, bounded, for SSH to come back with the same host key (a fresh connection checks it
// against known_hosts) and a new boot id, and reads its facts again.
import type { OperationDeps } from '../operation-deps.js';
import PQueue from 'p-queue';
import { CommandError, HostKeyError, InterruptedError } from '../../errors.js';
import { gatherHostFacts } from '../../facts/gather-host.js';
import type { FleetFacts, HostFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { missingCgroupParams, withCgroupParams } from './cmdline.js';
import type { PreparePlan } from './plan.js';
import type { Transport } from '../../ssh/transport.js';
import { silentProgress } from '../../engine/progress.js';

export const DEFAULT_REBOOT_TIMEOUT_MS = 300_000;

export interface PrepareDeps extends OperationDeps {
  /** A new connection (the old one died with the reboot); close it when done. */
  freshTransport: (name: string) => Promise<{ transport: Transport; close: () => Promise<void> }>;
  sleep?: (ms: number) => Promise<void>;
}

export interface PreparedHostReport {
  name: string;
  cmdline: 'fixed' | 'already-fixed' | 'untouched';
  rebooted: boolean;
  reason: string;
  bootIdBefore?: string;
  bootIdAfter?: string;
  memoryCgroup?: boolean;
  error?: string;
}

export interface PrepareReport {
  changed: boolean;
  hosts: PreparedHostReport[];
}

export async function runPrepare(inventory: Inventory, facts: FleetFacts, plan: PreparePlan, deps: PrepareDeps, options: { concurrency: number; rebootTimeoutMs?: number }): Promise<PrepareReport> {
  const progress = deps.progress ?? silentProgress;
  const reports = new Map<string, PreparedHostReport>(plan.hosts.map((h) => [h.name, { name: h.name, cmdline: 'untouched', rebooted: false, reason: h.reason }]));
  const prepareOne = async (name: string) => {
    const report = reports.get(name)!;
    const cmdlinePath = plan.hosts.find((h) => h.name === name)!.cmdlinePath!;
    try {
      if (deps.signal?.aborted) throw new InterruptedError('interrupted');
      progress.update(name, `fixing ${cmdlinePath}`);
      report.cmdline = (await fixCmdline(await deps.transportFor(name), cmdlinePath)) ? 'fixed' : 'already-fixed';
      report.bootIdBefore = facts.get(name)?.bootId;
      progress.update(name, 'rebooting');
      const after = await rebootAndWait(name, report.bootIdBefore, deps, options.rebootTimeoutMs ?? DEFAULT_REBOOT_TIMEOUT_MS);
      report.rebooted = true;
      report.bootIdAfter = after.bootId;
      report.memoryCgroup = after.memoryCgroup;
      progress.update(name, after.memoryCgroup ? 'back, memory cgroup enabled' : 'back, memory cgroup still disabled', after.memoryCgroup ? 'ok' : 'failed');
      if (!after.memoryCgroup) report.error = `the memory cgroup is still disabled after the reboot; check ${cmdlinePath}`;
    } catch (err) {
      report.error = (err as Error).message;
      progress.update(name, report.error.split('\n')[0]!, 'failed');
    }
  };
  const queue = new PQueue({ concurrency: options.concurrency });
  await Promise.all(plan.rebootTogether.map((name) => queue.add(() => prepareOne(name))));
  // Servers of a running cluster: one at a time, the next only once this one is back.
  for (const name of plan.rebootOneByOne) {
    await prepareOne(name);
    if (reports.get(name)!.error) break;
  }
  progress.stop();
  const hosts = [...reports.values()];
  return { changed: hosts.some((h) => h.cmdline === 'fixed' || h.rebooted), hosts };
}

/** Appends the missing parameters; false when the file already had them (re-read now, not from facts). */
async function fixCmdline(transport: Transport, path: string): Promise<boolean> {
  const read = await transport.exec(`cat ${path}`, { sudo: true, timeoutMs: 15_000 });
  if (read.exitCode !== 0) throw new CommandError(transport.host, `read ${path}`, read.exitCode, read.stderr.trim());
  if (missingCgroupParams(read.stdout).length === 0) return false;
  await transport.writeFile(path, withCgroupParams(read.stdout), { sudo: true, mode: 0o755 });
  return true;
}

async function rebootAndWait(name: string, bootIdBefore: string | undefined, deps: PrepareDeps, timeoutMs: number): Promise<HostFacts & { bootId: string }> {
  const transport = await deps.transportFor(name);
  // Detached and delayed, so this command returns before the connection goes down.
  await transport.exec("nohup sh -c 'sleep 1; reboot' > /dev/null 2>&1 < /dev/null &", { sudo: true, timeoutMs: 15_000 });
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + timeoutMs;
  let last = 'not back yet';
  while (Date.now() < deadline) {
    if (deps.signal?.aborted) throw new InterruptedError(`interrupted while waiting for ${name} to come back`);
    await sleep(3_000);
    let fresh: Awaited<ReturnType<PrepareDeps['freshTransport']>> | undefined;
    try {
      fresh = await deps.freshTransport(name);
      const facts = await gatherHostFacts(fresh.transport, {});
      if (facts.reachable && facts.bootId && facts.bootId !== bootIdBefore) return { ...facts, bootId: facts.bootId };
      last = facts.reachable ? 'still the same boot id (not rebooted yet)' : (facts.error ?? 'unreachable');
    } catch (err) {
      // Another host key is not a slow boot: stop at once (a re-imaged or different machine).
      if (err instanceof HostKeyError) throw err;
      last = (err as Error).message.split('\n')[0]!;
    } finally {
      await fresh?.close();
    }
  }
  throw new CommandError(name, 'reboot', null, '', `${name} did not come back from its reboot within ${Math.round(timeoutMs / 1000)} s (${last})`);
}
