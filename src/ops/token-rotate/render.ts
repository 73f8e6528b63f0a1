// The human view of a rotation plan: fingerprints only, never a token.
import type { TokenRotatePlan } from './types.js';

export function renderTokenRotatePlan(plan: TokenRotatePlan): string {
  const lines = [`Token rotation for cluster ${plan.cluster}`, `  old token: ${plan.oldFingerprint}`, `  new token: ${plan.newFingerprint} (${plan.newSource})`];
  lines.push(
    plan.rotated
      ? '  k3s token rotate: done already (the bootstrap data is under the new token): not repeated'
      : `  k3s token rotate on ${plan.rotateOn}: bootstrap data re-encrypted with the new token`,
  );
  lines.push('  servers, one at a time (config.yaml, restart, wait Ready with a healthy etcd member):');
  for (const host of plan.hosts.filter((h) => h.role === 'server')) lines.push(`    ${host.name}: ${host.action === 'none' ? 'left alone' : host.action} (${host.reason})`);
  const agents = plan.hosts.filter((h) => h.role === 'agent');
  if (agents.length > 0) {
    lines.push(`  agents, --max-unavailable ${plan.maxUnavailable.arithmetic}:`);
    for (const host of agents) lines.push(`    ${host.name}: ${host.action === 'none' ? 'left alone' : `${host.action}, batch ${(host.batch ?? 0) + 1}`} (${host.reason})`);
  }
  lines.push('  then: every server must take the new token and refuse the old one');
  const local = plan.local;
  if (local.kind === 'stored') lines.push(`  fleet's copy: ${local.file} replaced (atomic), the old token kept as ${local.previous} (0600)`);
  if (local.kind === 'token-file') lines.push(`  cluster.tokenFile: ${local.file} rewritten (atomic), the old token kept as ${local.previous} (0600); fleet's copy ${local.stored} likewise`);
  if (local.kind === 'inventory') lines.push(`  ${local.where}: fleet cannot change it; you update it at the end (fleet's copy ${local.stored} keeps both)`);
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
