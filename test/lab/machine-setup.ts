// What the lab needs from the machine itself, done once and left in place: the login user shared
// by all hosts (/etc/passwd is not private), its sudo rule, and empty directories to mount over.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { LAB_USER } from './host-spec.js';

const SUDOERS_FILE = '/etc/sudoers.d/fleet-lab';
// What the lab cannot do without (scripts/setup.sh installs them): checked first, so a machine
// where setup never ran gets the fix instead of an ENOENT from deep inside a boot.
const MACHINE_NEEDS = ['/usr/sbin/sshd', '/usr/bin/sudo', '/etc/sudoers.d', '/usr/bin/etcd', '/usr/bin/fusermount3'];
export const MOUNT_POINTS = ['/etc/rancher', '/var/lib/rancher', '/etc/systemd/system', `/home/${LAB_USER}`];

export interface LabUser {
  uid: number;
  gid: number;
}

export function prepareMachine(): LabUser {
  if (process.getuid?.() !== 0) throw new Error('lab: must run as root (it creates namespaces and mounts)');
  const missing = MACHINE_NEEDS.filter((path) => !existsSync(path));
  if (missing.length > 0) throw new Error(`lab: this machine lacks ${missing.join(', ')}; run \`bash scripts/setup.sh\` (as root: it installs the lab's Debian packages)`);
  if (!userExists(LAB_USER)) {
    try {
      // '*' is "no password" rather than "locked": sshd still accepts keys for it.
      execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', '--password', '*', LAB_USER], { stdio: 'pipe' });
    } catch (error) {
      // Another lab starting at the same moment may have created it first.
      if (!userExists(LAB_USER)) throw error;
    }
  }
  if (!existsSync(SUDOERS_FILE)) {
    writeFileSync(SUDOERS_FILE, `${LAB_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  }
  for (const dir of MOUNT_POINTS) mkdirSync(dir, { recursive: true });
  return {
    uid: Number(execFileSync('id', ['-u', LAB_USER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', LAB_USER], { encoding: 'utf8' }).trim()),
  };
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
