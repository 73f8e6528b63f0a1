// Stop and disable a host's K3s service before its node is deleted: a deleted node whose service
// still runs registers again (k3s#9817), and an enabled one would start again at the next boot.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';

export function unitOf(role: 'server' | 'agent'): string {
  return role === 'server' ? 'k3s' : 'k3s-agent';
}

export async function stopService(transport: Transport, role: 'server' | 'agent'): Promise<{ changed: string }> {
  const unit = unitOf(role);
  const before = await transport.exec(`systemctl is-active ${unit}; systemctl is-enabled ${unit}`, { sudo: true, timeoutMs: 20_000 });
  const [active, enabled] = before.stdout.trim().split('\n');
  if (active !== 'active' && active !== 'activating' && enabled !== 'enabled') return { changed: 'none' };
  const result = await transport.exec(`systemctl disable --now ${unit}`, { sudo: true, timeoutMs: 120_000 });
  if (result.exitCode !== 0) throw new CommandError(transport.host, `systemctl disable --now ${unit}`, result.exitCode, result.stderr.trim());
  const after = await transport.exec(`systemctl is-active ${unit}`, { sudo: true, timeoutMs: 20_000 });
  const state = after.stdout.trim();
  if (state === 'active' || state === 'activating') throw new CommandError(transport.host, `stop ${unit}`, after.exitCode, `${unit} is still ${state} after systemctl disable --now`);
  return { changed: `${unit} stopped and disabled` };
}
