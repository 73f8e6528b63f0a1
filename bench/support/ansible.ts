// ansible-core from Debian, the contender: installed by the bench itself (so `npm test` never
// needs it), driven ad hoc with the lab's key and known_hosts, host key checking left on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../test/lab/lab.js';
import { timedRun } from './timing.js';

const ANSIBLE = '/usr/bin/ansible';

export function ensureAnsible(): string {
  if (!existsSync(ANSIBLE)) {
    if (process.getuid?.() !== 0) throw new Error('bench: ansible-core is missing; install it as root: apt-get install ansible-core');
    console.error('bench: installing ansible-core (apt-get)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'ansible-core'], { stdio: 'inherit', env });
  }
  return execFileSync(ANSIBLE, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
}

/** An INI inventory of the first n lab hosts. */
export function writeIniInventory(lab: Lab, hosts: readonly string[], file: string): void {
  const first = lab.host(hosts[0]!);
  const lines = [
    '[lab]',
    ...hosts.map((h) => `${h} ansible_host=${lab.host(h).address}`),
    '',
    '[all:vars]',
    `ansible_user=${first.user}`,
    `ansible_port=${first.port}`,
    `ansible_ssh_private_key_file=${first.identityFile}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${first.knownHostsFile} -o IdentitiesOnly=yes -F /dev/null'`,
    'ansible_python_interpreter=/usr/bin/python3',
    '',
  ];
  writeFileSync(file, lines.join('\n'));
}

/**
 * `ansible all -m command -a true -f forks`, cold: a fresh ControlPath directory per run so no
 * run reuses the previous run's persistent connections, and those masters are closed afterwards.
 */
export async function ansibleFanOut(inventoryFile: string, forks: number, hostCount: number): Promise<number> {
  const controlDir = mkdtempSync(join(tmpdir(), 'fleet-bench-ansible-cp-'));
  const env = {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
    ANSIBLE_LOCAL_TEMP: join(controlDir, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOAD_CALLBACK_PLUGINS: '0',
  };
  try {
    const run = await timedRun(ANSIBLE, ['all', '-i', inventoryFile, '-m', 'command', '-a', 'true', '-f', String(forks), '-o'], { env, timeoutMs: 300_000, sampleMs: 1000 });
    const ok = run.stdout.split('\n').filter((l) => / \| CHANGED \| rc=0/.test(l)).length;
    if (run.code !== 0 || ok !== hostCount) throw new Error(`ansible: exit ${run.code}, ${ok}/${hostCount} ok\n${run.stdout.slice(-1500)}${run.stderr.slice(-1500)}`);
    return run.wallMs;
  } finally {
    for (const socket of readdirSync(controlDir).filter((f) => f !== 'tmp')) {
      try {
        execFileSync('ssh', ['-O', 'exit', '-o', `ControlPath=${join(controlDir, socket)}`, 'unused'], { stdio: 'ignore', timeout: 5000 });
      } catch {
        // the master has already gone
      }
    }
    rmSync(controlDir, { recursive: true, force: true });
  }
}
