// `fleet upgrade --dry-run`: the order, the batches and what each rule decided, for people.
import type { UpgradePlan } from './types.js';

export function renderUpgradePlan(plan: UpgradePlan): string {
  const lines = [`Upgrade plan for cluster ${plan.cluster}: K3s ${plan.target} (cluster read from ${plan.readFrom})`, ''];
  lines.push('Hosts:');
  const width = Math.max(...plan.hosts.map((h) => h.name.length));
  for (const host of plan.hosts) {
    const batch = host.batch !== undefined ? ` [batch ${host.batch + 1}]` : '';
    lines.push(`  ${host.name.padEnd(width)}  ${host.role.padEnd(6)}  ${host.from.padEnd(14)}  ${host.action.padEnd(8)}  ${host.reason}${batch}`);
  }
  lines.push('', 'Order:');
  if (plan.snapshot) lines.push(`  1. snapshot ${plan.snapshot.name} on ${plan.snapshot.host}`);
  let n = plan.snapshot ? 2 : 1;
  for (const server of plan.servers) lines.push(`  ${n++}. server ${server}`);
  plan.agentBatches.forEach((batch, index) => lines.push(`  ${n++}. agents batch ${index + 1}: ${batch.join(', ')}`));
  if (n === 1) lines.push('  nothing to upgrade: every host runs the target');
  lines.push('', 'Rules:', ...plan.rules.map((rule) => `  - ${rule}`));
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ! ${w}`));
  lines.push('', `${plan.steps.length} steps (${plan.steps.filter((s) => s.changes).length} change hosts).`);
  return `${lines.join('\n')}\n`;
}
