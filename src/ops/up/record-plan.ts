// Phase: the plan into the report (warnings, disks, preflight failures), and the plan's refusal
// thrown before anything changed.
import { ExitCode, FleetError, SafetyError } from '../../errors.js';
import type { RunReport } from '../../engine/report.js';
import type { RunContext } from './context.js';

/** Preflight found an unreachable server: exit 1 (a host failed), with the report so far. */
export class PreflightFailed extends FleetError {
  readonly exitCode = ExitCode.hostFailed;
  constructor(
    message: string,
    readonly report: RunReport,
  ) {
    super(message);
  }
}

export function recordPlan(ctx: RunContext): void {
  const { plan, recorder, facts, inventory } = ctx;
  // That a cluster already runs is news in `fleet plan`, not at the end of every converging run.
  for (const w of plan.warnings) if (w.code !== 'existing-cluster') recorder.warnings.push(w.message);
  for (const h of plan.hosts) {
    if (h.reason !== 'auto:slow-disk') continue;
    const why =
      h.fsyncP99Ms !== undefined
        ? `fdatasync p99 ${h.fsyncP99Ms} ms is over the ${inventory.cluster.disk.maxFsyncP99Ms} ms limit`
        : `its disk could not be measured (${facts.get(h.name)?.diskError ?? 'no figures'})`;
    recorder.warnings.push(`${h.name} was not made a server: ${why}; it joins as an agent`);
  }
  for (const host of plan.hosts) {
    const report = recorder.host(host.name, host.role);
    ctx.reports.set(host.name, report);
    const hostFacts = facts.get(host.name);
    if (hostFacts?.arch) report.arch = hostFacts.arch;
    if (hostFacts?.disk) {
      report.diskP99Ms = hostFacts.disk.p99Ms;
      report.diskSamples = hostFacts.disk.samples;
    }
    if (!host.problems) continue;
    const text = host.problems.join('; ');
    recorder.fail(report, text);
    ctx.progress.update(host.name, text, 'failed');
  }
  if (!plan.refusal) return;
  if (plan.refusal.unreachable) throw new PreflightFailed(plan.refusal.message, recorder.finish(ExitCode.hostFailed));
  throw new SafetyError(plan.refusal.message, 'fix the hosts above and run fleet up again');
}
