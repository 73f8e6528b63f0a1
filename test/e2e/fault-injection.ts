// Real faults for the reliability tests: a one-shot install delay on a lab host (the stand-in's
// knob), watching a host's install start from its disk, cutting a host's sshd and bringing it
// back, and a fleet run whose process the test can signal.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../lab/lab.js';
import { fleetBin } from './support.js';

/**
 * The lab's inventory with the disk gate relaxed: these tests are about faults, and a busy CI
 * machine can push a normal disk's fdatasync p99 over 10 ms (the gate has its own tests).
 */
export function faultsInventory(lab: Lab): string {
  const file = join(lab.dir, 'faults-inventory.yaml');
  const original = readFileSync(lab.files.inventory, 'utf8');
  const relaxed = '  disk: { maxFsyncP99Ms: 1000 }';
  const text = /^ {2}disk:.*$/m.test(original) ? original.replace(/^ {2}disk:.*$/m, relaxed) : original.replace(/^ {2}name: lab$/m, `  name: lab\n${relaxed}`);
  writeFileSync(file, text);
  return file;
}

/** The stand-in's install script sleeps this long once, on this host's next install. */
export async function delayNextInstall(lab: Lab, host: string, seconds: number): Promise<void> {
  await lab.ssh(host, `sudo mkdir -p /etc/rancher/k3s && echo ${seconds} | sudo tee /etc/rancher/k3s/standin-install-delay >/dev/null`);
}

/** The host's events log, read from its disk on this machine (works while the host is down). */
export function standinEvents(lab: Lab, host: string): string {
  const file = join(lab.dir, 'hosts', host, 'disk', 'var-log', 'k3s-standin', 'events.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The most installs that ran at once on the host, from its events log (an install SIGKILLed mid-way never ends). */
export function mostInstallsAtOnce(lab: Lab, host: string): number {
  let running = 0;
  let most = 0;
  for (const [, event] of standinEvents(lab, host).matchAll(/^\S+ (install|installed) /gm)) {
    running += event === 'install' ? 1 : -1;
    most = Math.max(most, running);
  }
  return most;
}

export const installsStarted = (lab: Lab, host: string): number => (standinEvents(lab, host).match(/^\S+ install /gm) ?? []).length;

/** Resolves once the host's install script has started `count` installs in all; fails if `run` ends first. */
export async function installStarted(lab: Lab, host: string, run: Promise<{ code: number | null; stderr: string }>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: { code: number | null; stderr: string } | undefined;
  void run.then((result) => (ended = result));
  while (installsStarted(lab, host) < 1) {
    if (ended) throw new Error(`${host}: fleet ended (exit ${ended.code}) before the install started:\n${ended.stderr}`);
    if (Date.now() > deadline) throw new Error(`${host}: no install started within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function initPid(lab: Lab, host: string): number {
  return Number(readFileSync(join(lab.dir, 'hosts', host, 'init.pid'), 'utf8').trim());
}

function pidNamespace(pid: number | string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

function commandName(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Every sshd process of the host (listener and sessions), by its PID namespace. */
export function sshdPidsOf(lab: Lab, host: string): number[] {
  const namespace = pidNamespace(initPid(lab, host));
  if (!namespace) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && commandName(entry).startsWith('sshd') && pidNamespace(entry) === namespace)
    .map(Number);
}

/** Drop every SSH connection of the host and stop it accepting new ones; the rest of it runs on. */
export function killSshd(lab: Lab, host: string): number[] {
  const pids = sshdPidsOf(lab, host);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids;
}

/** Start the host's sshd again inside its namespaces, as its init does at boot. */
export async function restartSshd(lab: Lab, host: string): Promise<void> {
  const hostDir = join(lab.dir, 'hosts', host);
  const result = spawnSync('nsenter', ['-t', String(initPid(lab, host)), '-m', '-p', '-u', '--', '/usr/sbin/sshd', '-f', '/run/lab/host/sshd_config', '-E', '/var/log/sshd.log'], {
    env: { PATH: process.env.PATH, LAB_HOST_DIR: hostDir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`restarting sshd on ${host} failed: ${result.stderr}`);
  const deadline = Date.now() + 10_000;
  while ((await lab.sshExec(host, 'true', { timeoutMs: 5000 }).catch(() => ({ code: 255 }))).code !== 0) {
    if (Date.now() > deadline) throw new Error(`sshd on ${host} did not come back`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface SignalableRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** A fleet run whose pid the test knows, so it can send it SIGINT like a Ctrl-C. */
export function startFleet(args: string[], env: NodeJS.ProcessEnv = {}): SignalableRun {
  const child = spawn(process.execPath, [fleetBin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}
