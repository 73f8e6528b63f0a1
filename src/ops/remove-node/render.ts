// `fleet remove-node` and `fleet reset` plans in words: what will happen, to which host, why, and
// for remove-node the quorum arithmetic. Pure.
import type { Step } from '../../engine/step.js';
import type { RemoveNodePlan } from './plan.js';
import type { ResetPlan } from '../reset/plan.js';

function stepLines(steps: Step[]): string[] {
  return steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.id.padEnd(28)} ${s.reason ?? ''}`.trimEnd());
}

export function renderRemoveNodePlan(plan: RemoveNodePlan): string {
  const what =
    plan.role === 'not-in-cluster' ? 'not in the cluster' : `${plan.role}${plan.member ? `, etcd member ${plan.member.name || plan.member.id}` : ''}${plan.node ? `, node ${plan.node}` : ''}`;
  const lines = [`Remove ${plan.host} (${plan.address}) from cluster ${plan.cluster}: ${what}; ${plan.reachable ? 'reachable' : 'UNREACHABLE'}`, `Cluster steps go through ${plan.via}.`];
  if (plan.arithmetic) lines.push(`Servers: ${plan.arithmetic.text}.`);
  lines.push('', 'Steps:', ...stepLines(plan.steps));
  if (plan.steps.length === 0) lines.push('  (nothing to do)');
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}

export function renderResetPlan(plan: ResetPlan): string {
  const lines = [`Reset cluster ${plan.cluster}: remove K3s from every host (agents first, ${plan.concurrency} at a time, then the servers one at a time).`, ''];
  const width = Math.max(...plan.hosts.map((h) => h.name.length), 4);
  for (const host of plan.hosts) lines.push(`  ${host.name.padEnd(width)}  ${host.action.padEnd(16)}  ${host.reason}`);
  lines.push(
    '',
    plan.removeLocalState ? "Then local state (.fleet/<cluster>/: token, kubeconfig, lock, logs) and the cluster's entries in your kubeconfig are removed." : 'Local state is kept (--keep-state).',
  );
  if (plan.warnings.length > 0) lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}
