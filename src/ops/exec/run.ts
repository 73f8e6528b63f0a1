// What `fleet exec` does when it runs, loaded only then (src/cli/commands/exec.ts defines its options).
import { InputError } from '../../errors.js';
import { fanOut, succeeded, type HostCommandResult } from './fan-out.js';
import { hostsByRole, type HostsByRole } from './hosts-by-role.js';
import type { Inventory } from '../../inventory/types.js';
import type { CommandDeps } from '../../cli/command-deps.js';
import { commandSetup, withPool } from '../../cli/run-session.js';
import type { ExecArgs } from '../../cli/commands/exec.js';

/** Hosts that may be selected: by name, and by role where the inventory decides it (`auto` hosts are asked later). */
export function selectHosts(inventory: Inventory, role?: string, names?: string[]): string[] {
  const known = new Set(inventory.hosts.map((h) => h.name));
  const unknown = (names ?? []).filter((n) => !known.has(n));
  if (unknown.length > 0) throw new InputError(`no host named ${unknown.join(', ')} in ${inventory.file}`, `hosts: ${[...known].join(', ')}`);
  return inventory.hosts
    .filter((h) => role === undefined || h.role === role || h.role === 'auto')
    .filter((h) => (names && names.length > 0 ? names.includes(h.name) : true))
    .map((h) => h.name);
}

function formatResult(r: HostCommandResult): string {
  const head = r.error !== undefined ? `── ${r.host}: failed: ${r.error}` : `── ${r.host}: exit ${r.result!.timedOut ? 'timeout' : (r.result!.exitCode ?? 'signal')}`;
  const body = r.result ? `${r.result.stdout}${r.result.stderr ? r.result.stderr : ''}` : '';
  return `${head}\n${body}${body && !body.endsWith('\n') ? '\n' : ''}`;
}

/** `skipped, not a server (role: auto): h4 runs a K3s agent; h5 has no K3s` */
function skippedNote(role: string, skipped: HostsByRole['skipped']): string {
  const what = skipped.map(({ host, runs }) => (runs === 'none' ? `${host} has no K3s` : `${host} runs a K3s ${runs}`));
  return `skipped, not ${role === 'agent' ? 'an agent' : 'a server'} (role: auto): ${what.join('; ')}`;
}

export async function runExec(args: ExecArgs, deps: CommandDeps): Promise<void> {
  const words = [...(args.command ?? []), ...(args['--'] ?? [])].map(String);
  if (words.length === 0) throw new InputError('no command given', 'put it after --, e.g. fleet exec inventory.yaml -- uptime');
  const command = words.join(' ');
  const setup = await commandSetup(args, deps);
  const { inventory } = setup;
  const candidates = selectHosts(inventory, args.role, args.host);
  if (candidates.length === 0) throw new InputError(`no host of ${inventory.file} matches`, 'check --role and --host');
  await withPool(setup, async (_transportFor, pool) => {
    const concurrency = args.concurrency ?? inventory.cluster.concurrency;
    const timeoutMs = args.timeout !== undefined ? args.timeout * 1000 : undefined;
    const onResult = args.json ? undefined : (r: HostCommandResult) => deps.output.out(formatResult(r));
    const selection: HostsByRole = args.role
      ? await hostsByRole(inventory, candidates, args.role, (n) => pool.get(n), { concurrency, timeoutMs, signal: deps.signal })
      : { matched: candidates, skipped: [], failed: [] };
    selection.failed.forEach((r) => onResult?.(r));
    const ran = await fanOut(selection.matched, (n) => pool.get(n), command, { concurrency, sudo: args.sudo, timeoutMs, signal: deps.signal, onResult });
    const results = [...selection.failed, ...ran];
    const failed = results.filter((r) => !succeeded(r));
    if (args.json) {
      const rows = results.map((r) => ({
        host: r.host,
        exitCode: r.result?.exitCode ?? null,
        timedOut: r.result?.timedOut ?? false,
        stdout: r.result?.stdout ?? '',
        stderr: r.result?.stderr ?? '',
        durationMs: r.result ? Math.round(r.result.durationMs) : undefined,
        error: r.error,
      }));
      deps.output.out(`${JSON.stringify({ command, hosts: rows, failed: failed.map((r) => r.host), skipped: selection.skipped, connections: pool.connectionsOpened }, null, 2)}\n`);
    } else if (!args.quiet) {
      if (selection.skipped.length > 0) deps.output.err(`${skippedNote(args.role!, selection.skipped)}\n`);
      deps.output.err(`${results.length - failed.length}/${results.length} hosts ok${failed.length ? `; failed: ${failed.map((r) => r.host).join(', ')}` : ''}\n`);
    }
    if (failed.length > 0) deps.setExitCode?.(1);
  });
}
