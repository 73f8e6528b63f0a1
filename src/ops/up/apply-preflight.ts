// Preflight in the plan: every host judged from its facts before anything changes. A server with
// a problem refuses the run; an agent with one is left out, and so is an unreachable server while
// a healthy cluster runs (the survivors keep quorum and new hosts join them).
import type { FleetFacts } from '../../facts/types.js';
import type { HostSpec } from '../../inventory/types.js';
import { preflight } from '../../rules/preflight.js';
import type { PlannedHost, PlanRefusal, PlanWarning } from './types.js';

export function applyPreflight(hosts: PlannedHost[], specs: HostSpec[], facts: FleetFacts, liveCluster: boolean, warnings: PlanWarning[]): PlanRefusal | undefined {
  const byName = new Map(specs.map((h) => [h.name, h]));
  const serverProblems: string[] = [];
  let unreachable = false;
  for (const host of hosts) {
    const hostFacts = facts.get(host.name);
    const result = preflight(byName.get(host.name)!, host.role, hostFacts);
    if (result.warnings.length > 0) host.preflightWarnings = result.warnings;
    for (const w of result.warnings) warnings.push({ code: 'preflight', host: host.name, message: `${host.name}: ${w}` });
    if (result.problems.length === 0) continue;
    const text = result.problems.join('; ');
    host.problems = result.problems;
    if (host.role === 'server' && !(liveCluster && !hostFacts?.reachable)) {
      serverProblems.push(`${host.name}: ${text}`);
      if (!hostFacts?.reachable) unreachable = true;
      continue;
    }
    host.action = 'left-out';
    host.actionReason = `left out: ${text}`;
    if (host.role === 'server') warnings.push({ code: 'left-out', host: host.name, message: `${host.name} is unreachable and was left out; the cluster runs on without it` });
  }
  if (serverProblems.length === 0) return undefined;
  const count = serverProblems.length === 1 ? 'a server' : `${serverProblems.length} servers`;
  return { message: `nothing was changed: ${count} failed preflight\n  ${serverProblems.join('\n  ')}`, unreachable };
}
