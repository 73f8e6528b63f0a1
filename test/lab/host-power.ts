// Booting a lab host (a new PID/mount/UTS namespace whose init is host/init.sh) and cutting its
// power (SIGKILL to that init: the kernel then kills everything in the namespace).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { SSH_PORT, type HostSpec } from './host-spec.js';
import { hostnameOf } from './host-layout.js';
import { labAssets, type LabFiles } from './paths.js';
import { isAlive, isProcessOfHost, killAndWait, waitUntil } from './processes.js';

const BOOT_TIMEOUT_MS = 20000;

/** The init's PID as the machine sees it, if that host is running. */
export function runningInitPid(files: LabFiles, name: string): number | undefined {
  const hostDir = files.hostDir(name);
  const pidFile = join(hostDir, 'init.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  // The PID could have been reused since a crash: it must still be this host's init.
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && isProcessOfHost(pid, hostDir) ? pid : undefined;
}

const bootedSpecFile = (files: LabFiles, name: string) => join(files.hostDir(name), 'booted-spec.json');

/** Whether a running host was booted with other looks (Pi, slow disk...) than spec asks for now. */
export function bootedWithOtherSpec(files: LabFiles, spec: HostSpec): boolean {
  const file = bootedSpecFile(files, spec.name);
  return existsSync(file) && readFileSync(file, 'utf8') !== JSON.stringify(spec);
}

export async function bootHost(files: LabFiles, spec: HostSpec): Promise<void> {
  if (runningInitPid(files, spec.name) !== undefined) return;
  const hostDir = files.hostDir(spec.name);
  writeFileSync(bootedSpecFile(files, spec.name), JSON.stringify(spec));
  for (const marker of ['init.pid', 'booted']) rmSync(join(hostDir, marker), { force: true });
  if (await portOpen(spec.address, SSH_PORT)) {
    throw new Error(`lab: ${spec.address}:${SSH_PORT} is already taken by a process outside this lab; is another lab running?`);
  }
  const log = openSync(join(hostDir, 'boot.log'), 'w');
  // power.sh boots the namespace, and boots it again when the host reboots itself.
  const child = spawn('/bin/bash', [join(labAssets(), 'host', 'power.sh')], {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      LAB_HOST_DIR: hostDir,
      LAB_HOST_NAME: hostnameOf(spec),
      LAB_HOST_ADDR: spec.address,
      LAB_ASSETS: labAssets(),
      LAB_HOST_PI: spec.pi ? '1' : '0',
      LAB_HOST_NO_MEMCG: spec.noMemcg ? '1' : '0',
      LAB_HOST_SLOW_DISK_MS: String(spec.slowDiskMs),
    },
  });
  closeSync(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  child.unref();
  try {
    await waitUntil(() => exited || existsSync(join(hostDir, 'booted')), BOOT_TIMEOUT_MS, `${spec.name} to boot`);
    if (exited) throw new Error('its init exited');
    await waitForPort(spec.address, SSH_PORT, BOOT_TIMEOUT_MS);
  } catch (error) {
    const bootLog = readFileSync(join(hostDir, 'boot.log'), 'utf8').trim();
    await powerOff(files, spec.name);
    throw new Error(`lab: ${spec.name} failed to boot: ${(error as Error).message}${bootLog ? `\n${bootLog}` : ''}`, { cause: error });
  }
}

export async function powerOff(files: LabFiles, name: string): Promise<void> {
  const pid = runningInitPid(files, name);
  if (pid !== undefined) await killAndWait([pid]);
  rmSync(join(files.hostDir(name), 'booted'), { force: true });
}

export function portOpen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.setTimeout(1000);
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

async function waitForPort(address: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(address, port))) {
    if (Date.now() > deadline) throw new Error(`sshd is not listening on ${address}:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
