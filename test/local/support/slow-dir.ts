// A directory whose fsync/fdatasync takes a known time: slowfs.py (FUSE, Debian's python3 with
// python3-fusepy) mounted over a temporary backing directory.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slowFsScript } from '../../support/repo-paths.js';

export interface SlowDir {
  dir: string;
  unmount(): Promise<void>;
}

function isMounted(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === dir);
}

export async function mountSlowDir(delayMs: number): Promise<SlowDir> {
  const root = mkdtempSync(join(tmpdir(), 'fleet-slowfs-'));
  const backing = join(root, 'backing');
  const dir = join(root, 'mnt');
  mkdirSync(backing);
  mkdirSync(dir);
  // Debian's python3 has fusepy; a pyenv python3 first in PATH would not. Raised priority keeps
  // the filesystem's own delay close to delayMs on a busy machine (tests run as root).
  const child = spawn('nice', ['-n', '-10', '/usr/bin/python3', slowFsScript, backing, dir, String(delayMs)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!isMounted(dir)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`slowfs did not mount ${dir}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    dir,
    async unmount() {
      execFileSync('fusermount3', ['-u', dir]);
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
