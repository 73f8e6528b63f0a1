// Helpers for the lab's own tests: a fresh lab directory per describe block, and installing the
// k3s stand-in on a host over SSH the way fleet does (upload the binary, stream the script).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from './lab.js';
import { standinBinary, standinInstallScript } from './paths.js';
import type { CommandResult } from './run-command.js';

export const newLabDir = (): string => mkdtempSync(join(tmpdir(), 'fleet-lab-test-'));

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** Upload the stand-in binary and run its install script with env, as the lab user through sudo. */
export async function installK3s(lab: Lab, host: string, env: Record<string, string>): Promise<CommandResult> {
  await lab.upload(host, standinBinary(), '/usr/local/bin/k3s');
  const assignments = Object.entries({ INSTALL_K3S_SKIP_DOWNLOAD: 'true', ...env }).map(([key, value]) => `${key}=${shellQuote(value)}`);
  return lab.sshExec(host, `sudo env ${assignments.join(' ')} sh -s`, { input: readFileSync(standinInstallScript()), timeoutMs: 120000 });
}

export async function serverToken(lab: Lab, host: string): Promise<string> {
  return (await lab.ssh(host, 'sudo cat /var/lib/rancher/k3s/server/token')).trim();
}

export async function journal(lab: Lab, host: string, unit = 'k3s'): Promise<string> {
  return lab.ssh(host, `sudo journalctl -u ${unit} --no-pager`);
}

export async function eventually<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await attempt();
      if (result !== undefined) return result;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface MemberRow {
  name: string;
  status: string;
  isLearner: boolean;
}

/** `etcdctl member list` as rows. */
export async function etcdMembers(lab: Lab, hosts: string[]): Promise<MemberRow[]> {
  const result = await lab.etcdctl(['member', 'list', '-w', 'simple'], { hosts });
  if (result.code !== 0) throw new Error(`etcdctl member list: ${result.stderr}`);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(', '))
    .map(([, status, name, , , learner]) => ({ name: name ?? '', status: status ?? '', isLearner: learner === 'true' }));
}

export interface NodeSummary {
  name: string;
  ready: boolean;
  roles: string[];
  version: string;
  labels: Record<string, string>;
}

export async function nodes(lab: Lab, host: string): Promise<NodeSummary[]> {
  const list = JSON.parse(await lab.ssh(host, 'sudo k3s kubectl get nodes -o json')) as {
    items: { metadata: { name: string; labels: Record<string, string> }; status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string } } }[];
  };
  return list.items.map((item) => ({
    name: item.metadata.name,
    ready: item.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    roles: Object.keys(item.metadata.labels).filter((key) => key.startsWith('node-role.kubernetes.io/')).map((key) => key.split('/')[1]!).sort(),
    version: item.status.nodeInfo.kubeletVersion,
    labels: item.metadata.labels,
  }));
}
