// The end of a run for people: one row per host (role, arch, disk p99, outcome, duration), the
// warnings, and what to do next. `fleet up --json` prints the RunReport itself instead.
import type { HostReport, RunReport } from './report.js';
import { textTable as table } from '../util/text-table.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function hostDuration(host: HostReport): number {
  return host.steps.reduce((sum, s) => sum + s.durationMs, 0);
}

export function renderRunReport(report: RunReport): string {
  const rows = [['HOST', 'ROLE', 'ARCH', 'DISK P99', 'OUTCOME', 'TIME']];
  for (const h of report.hosts) {
    rows.push([h.name, h.role, h.arch ?? '?', h.diskP99Ms !== undefined ? `${h.diskP99Ms} ms (${h.diskSamples ?? '?'})` : '-', h.outcome, seconds(hostDuration(h))]);
  }
  const lines = [table(rows)];
  const failed = report.hosts.filter((h) => h.outcome === 'failed');
  if (failed.length > 0) {
    lines.push('', 'Failed:');
    for (const h of failed) lines.push(`  ${h.name}: ${(h.error ?? 'failed').replace(/\n/g, '\n    ')}`);
  }
  if (report.clusterChanges && report.clusterChanges.length > 0) {
    lines.push('', 'Cluster changes:');
    for (const change of report.clusterChanges) lines.push(`  ${change}`);
  }
  if (report.notStarted.length > 0) lines.push('', `Not started: ${report.notStarted.join(', ')} — run fleet up again to finish.`);
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ${w}`);
  }
  lines.push('');
  if (report.exitCode === 0) lines.push(report.changed ? `Done in ${seconds(report.durationMs)}.` : `No changes: the cluster already matches the inventory (${seconds(report.durationMs)}).`);
  else if (report.exitCode === 130) lines.push(`Interrupted after ${seconds(report.durationMs)}; running steps were let finish. Run fleet up again to finish.`);
  else lines.push(`Finished with failures in ${seconds(report.durationMs)}; fix the hosts above and run fleet up again: it only does what is missing.`);
  if (report.kubeconfig) lines.push(`Kubeconfig: ${report.kubeconfig}  (export KUBECONFIG=${report.kubeconfig})`);
  return `${lines.join('\n')}\n`;
}
