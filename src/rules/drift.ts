// Config drift: what a host runs (facts: its config.yaml, token removed) against what the
// inventory now plans. Must-match flags cannot change in place (K3s refuses a server whose value
// differs from the cluster's), so their drift is a refusal; any other drift is a restart of that
// one host.
import { SafetyError } from '../errors.js';
import type { FleetFacts } from '../facts/types.js';
import type { FlagMap, FlagValue } from '../inventory/types.js';
import { MUST_MATCH_FLAGS } from '../inventory/must-match.js';

/** K3s ignores these once etcd data exists, so on a member they are not drift. */
export const DATASTORE_FLAGS: readonly string[] = ['cluster-init', 'server', 'datastore-endpoint'];

export interface FlagDrift {
  flag: string;
  installed?: FlagValue;
  planned?: FlagValue;
}

function normalise(value: FlagValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return JSON.stringify(Array.isArray(value) ? value.map(String) : String(value));
}

export function sameValue(a: FlagValue | undefined, b: FlagValue | undefined): boolean {
  return normalise(a) === normalise(b);
}

/** The map without `flags` (e.g. DATASTORE_FLAGS on a host that holds etcd data). */
export function withoutFlags(config: FlagMap, flags: readonly string[]): FlagMap {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !flags.includes(key)));
}

/** Whether the installed config (token removed by the facts parser) equals the planned one. */
export function sameFlags(installed: FlagMap, planned: FlagMap): boolean {
  return configDrift(installed, planned).length === 0;
}

/** Flags whose installed value differs from the planned one (the token is never compared here). */
export function configDrift(installed: FlagMap, planned: FlagMap, ignore: readonly string[] = []): FlagDrift[] {
  const skip = new Set(['token', ...ignore]);
  const flags = [...new Set([...Object.keys(installed), ...Object.keys(planned)])].filter((flag) => !skip.has(flag)).sort();
  const drift: FlagDrift[] = [];
  for (const flag of flags) {
    if (sameValue(installed[flag], planned[flag])) continue;
    const entry: FlagDrift = { flag };
    if (installed[flag] !== undefined) entry.installed = installed[flag];
    if (planned[flag] !== undefined) entry.planned = planned[flag];
    drift.push(entry);
  }
  return drift;
}

export function showFlagValue(value: FlagValue | undefined): string {
  if (value === undefined) return '(unset)';
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

/** "flag disable: [traefik] → [traefik, servicelb]" */
export function describeDrift(drift: FlagDrift): string {
  return `flag ${drift.flag}: ${showFlagValue(drift.installed)} → ${showFlagValue(drift.planned)}`;
}

export interface MustMatchConflict {
  flag: string;
  wanted?: FlagValue;
  running?: FlagValue;
  hosts: string[];
}

/** Must-match flags of cluster.config that differ from what the running servers use. */
export function mustMatchConflicts(clusterConfig: FlagMap, runningServers: string[], facts: FleetFacts): MustMatchConflict[] {
  const conflicts = new Map<string, MustMatchConflict>();
  for (const host of runningServers) {
    const installed = facts.get(host)?.k3s.config;
    if (!installed) continue;
    for (const flag of MUST_MATCH_FLAGS) {
      if (flag === 'agent-token') continue; // a secret, compared by fingerprint elsewhere
      if (sameValue(clusterConfig[flag], installed[flag])) continue;
      const key = `${flag}\0${normalise(installed[flag]) ?? ''}`;
      const conflict = conflicts.get(key) ?? { flag, hosts: [] };
      if (clusterConfig[flag] !== undefined) conflict.wanted = clusterConfig[flag];
      if (installed[flag] !== undefined) conflict.running = installed[flag];
      conflict.hosts.push(host);
      conflicts.set(key, conflict);
    }
  }
  return [...conflicts.values()];
}

export function refuseMustMatchConflicts(conflicts: MustMatchConflict[]): void {
  if (conflicts.length === 0) return;
  const lines = conflicts.map((c) => `${c.flag}: the inventory says ${showFlagValue(c.wanted)}, the running servers (${c.hosts.join(', ')}) use ${showFlagValue(c.running)}`);
  throw new SafetyError(
    `must-match flag${conflicts.length === 1 ? '' : 's'} differ from the running cluster; ${conflicts.length === 1 ? 'it' : 'they'} cannot be changed in place:\n  ${lines.join('\n  ')}`,
    'K3s refuses a server whose value differs from the cluster\'s ("critical configuration value mismatch"); put the running value back in cluster.config. Changing it means building a new cluster.',
  );
}
