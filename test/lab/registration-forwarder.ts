// The lab's fixed registration address (`--registration-address ADDR`): host/forwarder.py on
// ADDR:6443 passing connections to whichever lab host answers on 6443 (the servers), as a load
// balancer or VIP in front of real servers does. It carries the lab's host marker in its
// environment, so `down` ends it with the hosts' processes.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portOpen } from './host-power.js';
import { labAssets, type LabFiles } from './paths.js';
import { isAlive, killAndWait, waitUntil } from './processes.js';

const PORT = 6443;
const pidFile = (files: LabFiles) => join(files.dir, 'registration-forwarder.pid');

export function runningForwarderPid(files: LabFiles): number | undefined {
  if (!existsSync(pidFile(files))) return undefined;
  const pid = Number(readFileSync(pidFile(files), 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export async function startForwarder(files: LabFiles, address: string, backends: string[]): Promise<void> {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new TypeError(`lab: --registration-address must be a 127.x.y.z address, got ${address}`);
  if (backends.includes(address)) throw new TypeError(`lab: --registration-address ${address} is a host's own address`);
  if (runningForwarderPid(files) !== undefined) return;
  if (await portOpen(address, PORT)) throw new Error(`lab: ${address}:${PORT} is already taken`);
  const log = openSync(join(files.dir, 'registration-forwarder.log'), 'a');
  const child = spawn('/usr/bin/python3', [join(labAssets(), 'host', 'forwarder.py'), address, ...backends], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { PATH: '/usr/bin:/bin', LAB_HOST_DIR: join(files.dir, 'hosts', '.registration-forwarder') },
  });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(files), `${child.pid}\n`);
  await waitUntil(() => readFileSync(join(files.dir, 'registration-forwarder.log'), 'utf8').includes(`forwarding ${address}`) || child.exitCode !== null, 10_000, 'the registration forwarder');
  if (child.exitCode !== null) throw new Error(`lab: the registration forwarder exited: ${readFileSync(join(files.dir, 'registration-forwarder.log'), 'utf8')}`);
}

export async function stopForwarder(files: LabFiles): Promise<void> {
  const pid = runningForwarderPid(files);
  if (pid !== undefined) await killAndWait([pid]);
}
