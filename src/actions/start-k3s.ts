// Starting K3s again after a restore: the reset server, then each other server with its etcd data
// moved aside (kept as db-old-<unix time>) so that it joins the restored member instead of being
// refused on its old data, then the agents.
import { CommandError } from '../errors.js';
import type { Transport } from '../ssh/transport.js';
import { tail } from './install-k3s.js';
import { waitForServer, type WaitOptions } from './wait-ready.js';

const SERVER_DIR = '/var/lib/rancher/k3s/server';

async function startUnit(transport: Transport, unit: string): Promise<void> {
  // A server's unit is Type=notify: start returns once it is up (or failed).
  const result = await transport.exec(`systemctl start ${unit}`, { sudo: true, timeoutMs: 10 * 60_000 });
  if (result.exitCode !== 0) {
    const journal = await transport.exec(`journalctl -u ${unit} -n 15 --no-pager`, { sudo: true, timeoutMs: 20_000 }).catch(() => undefined);
    throw new CommandError(transport.host, `systemctl start ${unit}`, result.exitCode, tail(journal?.stdout || result.stderr));
  }
}

export async function startServer(transport: Transport, host: { name: string; address: string }, wait: WaitOptions): Promise<{ changed: string }> {
  await startUnit(transport, 'k3s');
  await waitForServer(transport, host, wait);
  return { changed: 'started' };
}

export async function rejoinServer(transport: Transport, host: { name: string; address: string }, wait: WaitOptions, nowSeconds: number): Promise<{ changed: string }> {
  const aside = `${SERVER_DIR}/db-old-${nowSeconds}`;
  const moved = await transport.exec(`if [ -d ${SERVER_DIR}/db ]; then mv ${SERVER_DIR}/db ${aside} && echo ${aside}; fi`, { sudo: true, timeoutMs: 60_000 });
  if (moved.exitCode !== 0) throw new CommandError(transport.host, 'move etcd data aside', moved.exitCode, moved.stderr.trim());
  await startUnit(transport, 'k3s');
  await waitForServer(transport, host, wait);
  return { changed: moved.stdout.trim() ? `rejoined (old data kept in ${moved.stdout.trim()})` : 'rejoined' };
}

export async function startAgent(transport: Transport): Promise<{ changed: string }> {
  await startUnit(transport, 'k3s-agent');
  return { changed: 'started' };
}
