// A host's directory under DIR/hosts/NAME: its "disk" (the dirs mounted over the machine's in its
import { randomBytes } from 'node:crypto';
// namespace, kept across crashes), its host key and its sshd_config. Creating it is idempotent.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SSH_PORT, type HostSpec } from './host-spec.js';
import type { LabUser } from './machine-setup.js';
import type { LabFiles } from './paths.js';

const DISK_DIRS = ['etc-rancher', 'var-lib-rancher', 'usr-local-bin', 'var-log', 'boot', 'systemd-system', 'root', 'home'];

const PI_CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=6c586e13-02 rootfstype=ext4 fsck.repair=yes rootwait';

export function generateKey(path: string, comment: string): void {
  if (existsSync(path) && existsSync(`${path}.pub`)) return;
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Shared by all hosts: the login key and the Pi's uname. */
export function prepareLabDir(files: LabFiles): void {
  mkdirSync(files.bin, { recursive: true });
  mkdirSync(join(files.dir, 'hosts'), { recursive: true });
  chmodSync(files.dir, 0o755);
  generateKey(files.identity, 'fleet-lab');
  const realUname = join(files.bin, 'uname.real');
  if (!existsSync(realUname)) copyFileSync('/usr/bin/uname', realUname);
  chmodSync(realUname, 0o755);
  writeFileSync(
    join(files.bin, 'uname-pi'),
    [
      '#!/bin/sh',
      "# uname on a lab Raspberry Pi: the machine's answer, its x86_64 shown as aarch64.",
      'case "${0##*/}" in arch) set -- -m ;; esac',
      // The host's init mounts DIR/bin at /run/lab/bin.
      '/run/lab/bin/uname.real "$@" | sed "s/x86_64/aarch64/g"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}

export function prepareHostDir(files: LabFiles, spec: HostSpec, user: LabUser): void {
  const hostDir = files.hostDir(spec.name);
  const disk = join(hostDir, 'disk');
  for (const sub of DISK_DIRS) mkdirSync(join(disk, sub), { recursive: true });
  mkdirSync(join(hostDir, 'etc'), { recursive: true });
  chmodSync(join(disk, 'root'), 0o700);

  const publicKey = readFileSync(`${files.identity}.pub`, 'utf8');
  installAuthorizedKey(join(disk, 'root'), publicKey, { uid: 0, gid: 0 });
  installAuthorizedKey(join(disk, 'home'), publicKey, user);

  if (spec.pi) {
    mkdirSync(join(disk, 'boot', 'firmware'), { recursive: true });
    const cmdline = join(disk, 'boot', 'firmware', 'cmdline.txt');
    const memcg = spec.noMemcg ? '' : ' cgroup_memory=1 cgroup_enable=memory';
    if (!existsSync(cmdline)) writeFileSync(cmdline, `${PI_CMDLINE}${memcg}\n`);
  }
  const hostname = hostnameOf(spec);
  writeFileSync(join(hostDir, 'etc', 'hostname'), `${hostname}\n`);
  // Written once, like systemd at first boot: it stays across reboots.
  const machineId = join(hostDir, 'etc', 'machine-id');
  if (!existsSync(machineId)) writeFileSync(machineId, `${randomBytes(16).toString('hex')}\n`);
  writeFileSync(join(hostDir, 'etc', 'hosts'), `127.0.0.1\tlocalhost\n${spec.address}\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);

  // The stand-in reads it (as /run/lab/host/cert-days) when it issues the host's first certificates.
  const certDays = join(hostDir, 'cert-days');
  if (spec.certDays !== undefined) writeFileSync(certDays, `${spec.certDays}\n`);
  else rmSync(certDays, { force: true });

  const hostKey = join(hostDir, 'ssh_host_ed25519_key');
  generateKey(hostKey, `root@${spec.name}`);
  chmodSync(hostKey, 0o600);
  writeFileSync(join(hostDir, 'sshd_config'), sshdConfig(spec));
}

/** What `hostname` prints on the host: its lab name unless the lab gave every host one name. */
export function hostnameOf(spec: HostSpec): string {
  return spec.hostname ?? spec.name;
}

function installAuthorizedKey(home: string, publicKey: string, owner: LabUser): void {
  const sshDir = join(home, '.ssh');
  mkdirSync(sshDir, { recursive: true });
  const keys = join(sshDir, 'authorized_keys');
  writeFileSync(keys, publicKey, { mode: 0o600 });
  // StrictModes refuses keys when the home, ~/.ssh or the file are writable by others.
  chmodSync(home, 0o755);
  chmodSync(sshDir, 0o700);
  chmodSync(keys, 0o600);
  for (const path of [home, sshDir, keys]) chownSync(path, owner.uid, owner.gid);
}

/** Minimal settings: no PAM, no DNS, room for many parallel connections from fleet. */
function sshdConfig(spec: HostSpec): string {
  return [
    `ListenAddress ${spec.address}:${SSH_PORT}`,
    // The host's init mounts the host's lab directory at /run/lab/host.
    'HostKey /run/lab/host/ssh_host_ed25519_key',
    'PidFile none',
    'UsePAM no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'StrictModes yes',
    'MaxStartups 200:30:400',
    'MaxSessions 100',
    'Subsystem sftp internal-sftp',
    'AcceptEnv LANG LC_*',
    '',
  ].join('\n');
}
