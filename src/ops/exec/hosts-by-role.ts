// `fleet exec --role server|agent`: hosts by what they are. A host with an explicit inventory role
// is that role; a `role: auto` host is what K3s installed on it says, read with the facts'
// own role probe (src/facts/k3s-role.ts) over the connection the command will use anyway.
import PQueue from 'p-queue';
import { k3sRoleProbe, type K3sRole } from '../../facts/k3s-role.js';
import type { Inventory } from '../../inventory/types.js';
import type { Transport } from '../../ssh/transport.js';
import type { HostCommandResult } from './fan-out.js';

export interface HostsByRole {
  /** Hosts to run on, in inventory order. */
  matched: string[];
  /** `auto` hosts left out, with the K3s role installed on them (none: no K3s). */
  skipped: Array<{ host: string; runs: K3sRole | 'none' }>;
  /** `auto` hosts whose role could not be read (unreachable, probe failed): reported as failed. */
  failed: HostCommandResult[];
}

export interface HostsByRoleOptions {
  concurrency: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const PROBE_TIMEOUT_MS = 30_000;

/** `candidates` (inventory names) that are `role`; only `auto` hosts are asked, once each. */
export async function hostsByRole(inventory: Inventory, candidates: string[], role: K3sRole, transportFor: (name: string) => Promise<Transport>, options: HostsByRoleOptions): Promise<HostsByRole> {
  const byName = new Map(inventory.hosts.map((host) => [host.name, host]));
  const queue = new PQueue({ concurrency: options.concurrency });
  const found = await Promise.all(
    candidates.map(async (name): Promise<{ name: string; runs?: K3sRole | 'none'; error?: string }> => {
      const declared = byName.get(name)!.role;
      if (declared !== 'auto') return { name, runs: declared };
      return (await queue.add(async () => {
        try {
          return { name, runs: await installedRole(await transportFor(name), options) };
        } catch (err) {
          return { name, error: `cannot tell whether it is a K3s server or agent (role: auto): ${err instanceof Error ? err.message : String(err)}` };
        }
      }))!;
    }),
  );
  return {
    matched: found.filter((host) => host.runs === role).map((host) => host.name),
    skipped: found
      .filter((host) => host.runs !== undefined && host.runs !== role)
      .filter((host) => byName.get(host.name)!.role === 'auto')
      .map((host) => ({ host: host.name, runs: host.runs! })),
    failed: found.filter((host) => host.error !== undefined).map((host) => ({ host: host.name, error: host.error! })),
  };
}

/** The K3s role installed on the host, from the facts' role probe; no sudo needed (marker files). */
async function installedRole(transport: Transport, options: HostsByRoleOptions): Promise<K3sRole | 'none'> {
  const result = await transport.exec('sh -s', { stdin: k3sRoleProbe.script, timeoutMs: options.timeoutMs ?? PROBE_TIMEOUT_MS, signal: options.signal });
  if (result.timedOut) throw new Error('role probe timed out');
  if (result.exitCode !== 0) throw new Error(`role probe exited ${result.exitCode ?? 'on a signal'}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n').pop()}` : ''}`);
  return k3sRoleProbe.parse(result.stdout) ?? 'none';
}
