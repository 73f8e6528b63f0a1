// Stop the K3s service of a host (k3s on servers, k3s-agent on agents). Guard: a stopped service
// is left as it is ("none"). Containers keep running, as with K3s's own `systemctl stop k3s`.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';

export const unitFor = (role: 'server' | 'agent'): string => (role === 'server' ? 'k3s' : 'k3s-agent');

export async function stopK3s(transport: Transport, role: 'server' | 'agent'): Promise<{ changed: string }> {
  const unit = unitFor(role);
  const result = await transport.exec(`if systemctl is-active --quiet ${unit}; then systemctl stop ${unit} && echo stopped; else echo none; fi`, { sudo: true, timeoutMs: 120_000 });
  if (result.exitCode !== 0) throw new CommandError(transport.host, `systemctl stop ${unit}`, result.exitCode, result.stderr.trim());
  return { changed: result.stdout.trim() === 'stopped' ? 'stopped' : 'none' };
}
