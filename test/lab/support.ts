// Helpers for the lab's own tests: a fresh lab directory per describe block, and installing the
// k3s stand-in on a host over SSH the way fleet does (upload the binary, stream the script).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab, type LabUpOptions } from './lab.js';
import { standinBinary, standinInstallScript } from './paths.js';
import type { CommandResult } from './run-command.js';

export const newLabDir = (): string => mkdtempSync(join(tmpdir(), 'fleet-lab-test-'));

// Each test lab gets its own 127.0.X network, so test runs and `npm run lab` (127.0.1) on one
// machine do not collide. A claim is a directory naming the lab that holds it.
const CLAIMS_DIR = join(tmpdir(), 'fleet-lab-nets');
const FIRST_TEST_NET = 20;
const LAST_TEST_NET = 250;

function sshListenersOn(network: string): boolean {
  const third = Number(network.split('.')[2]).toString(16).toUpperCase().padStart(2, '0');
  const listening = new RegExp(`^\\s*\\d+: [0-9A-F]{2}${third}007F:0016 00000000:0000 0A `, 'm');
  return listening.test(readFileSync('/proc/net/tcp', 'utf8'));
}

export function claimNetwork(labDir: string): string {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  for (let third = FIRST_TEST_NET; third <= LAST_TEST_NET; third++) {
    const network = `127.0.${third}`;
    const claim = join(CLAIMS_DIR, network);
    const owner = join(claim, 'lab-dir');
    if (existsSync(claim) && existsSync(owner) && !existsSync(readFileSync(owner, 'utf8'))) rmSync(claim, { recursive: true, force: true });
    try {
      mkdirSync(claim);
    } catch {
      continue;
    }
    writeFileSync(owner, labDir);
    if (!sshListenersOn(network)) return network;
  }
  throw new Error(`lab tests: no free network 127.0.${FIRST_TEST_NET}-${LAST_TEST_NET} (claims in ${CLAIMS_DIR})`);
}

export function releaseNetwork(network: string): void {
  rmSync(join(CLAIMS_DIR, network), { recursive: true, force: true });
}

/** A lab in a fresh directory on a network of its own; on failure nothing is left behind. */
export async function upTestLab(options: Omit<LabUpOptions, 'dir' | 'network'>): Promise<Lab> {
  const dir = newLabDir();
  const network = claimNetwork(dir);
  try {
    return await Lab.up({ ...options, dir, network });
  } catch (error) {
    await Lab.down(dir);
    releaseNetwork(network);
    throw error;
  }
}

export async function downTestLab(lab: Lab | undefined): Promise<void> {
  if (!lab) return;
  await lab.down();
  releaseNetwork(lab.network);
}

/** https://ADDRESS:6443 of a lab host. */
export const apiUrl = (lab: Lab, host: string): string => `https://${lab.host(host).address}:6443`;

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** Upload the stand-in binary (or one version's, test/lab/versions.ts) and run its install script with env, as the lab user through sudo. */
export async function installK3s(lab: Lab, host: string, env: Record<string, string>, binary = standinBinary()): Promise<CommandResult> {
  await lab.upload(host, binary, '/usr/local/bin/k3s');
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
  created: string;
  labels: Record<string, string>;
}

export async function nodes(lab: Lab, host: string): Promise<NodeSummary[]> {
  const list = JSON.parse(await lab.ssh(host, 'sudo k3s kubectl get nodes -o json')) as {
    items: {
      metadata: { name: string; creationTimestamp: string; labels: Record<string, string> };
      status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string } };
    }[];
  };
  return list.items.map((item) => ({
    name: item.metadata.name,
    ready: item.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    roles: Object.keys(item.metadata.labels)
      .filter((key) => key.startsWith('node-role.kubernetes.io/'))
      .map((key) => key.split('/')[1]!)
      .sort(),
    version: item.status.nodeInfo.kubeletVersion,
    created: item.metadata.creationTimestamp,
    labels: item.metadata.labels,
  }));
}
