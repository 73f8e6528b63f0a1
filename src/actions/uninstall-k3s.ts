// Uninstall K3s from a host with the uninstall scripts its install script left, then check that
// nothing is left (process, unit, binary, config, data): the scripts' word is not taken for it.
import { CommandError } from '../errors.js';
import { readPlaybookFile } from '../facts/playbook-file.js';
import type { Transport } from '../ssh/transport.js';

/** `left <kind> <what>` lines of playbooks/k3s-leftovers.sh → "kind what". */
export function parseLeftovers(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^left (\S+) (.+)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]} ${match[2]}`);
}

export async function k3sLeftovers(transport: Transport): Promise<string[]> {
  const result = await transport.exec('sh -s', { stdin: readPlaybookFile('k3s-leftovers.sh'), sudo: true, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new CommandError(transport.host, 'look for K3s leftovers', result.exitCode, result.stderr.trim());
  return parseLeftovers(result.stdout);
}

/** No uninstall script on the host (exit 3 of the playbook). */
const NO_SCRIPT = 3;

export async function uninstallK3s(transport: Transport): Promise<{ changed: string }> {
  const result = await transport.exec('sh -s', { stdin: readPlaybookFile('k3s-uninstall.sh'), sudo: true, timeoutMs: 300_000 });
  if (result.exitCode === NO_SCRIPT) {
    const left = await k3sLeftovers(transport);
    if (left.length === 0) return { changed: 'none' };
    throw new CommandError(transport.host, 'uninstall K3s', result.exitCode, `no uninstall script on the host, and K3s is still there: ${left.join('; ')}`);
  }
  if (result.exitCode !== 0) throw new CommandError(transport.host, 'uninstall K3s', result.exitCode, result.stderr.trim());
  return { changed: 'uninstalled' };
}

/** Fails, naming every leftover, unless the host is clean. */
export async function checkClean(transport: Transport): Promise<void> {
  const left = await k3sLeftovers(transport);
  if (left.length > 0) throw new Error(`K3s is still on ${transport.host}: ${left.join('; ')}`);
}
