// Where the lab's files are: its assets live in the repo (not copied into dist), its state in DIR.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this module holding package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('lab: cannot find the repository root (package.json)');
    dir = parent;
  }
  return dir;
}

export const labAssets = (): string => join(repoRoot(), 'test', 'lab');
export const standinInstallScript = (): string => join(labAssets(), 'standin', 'install.sh');
export const standinBinary = (): string => join(labAssets(), 'standin', 'k3s');
export const defaultLabDir = (): string => join(repoRoot(), '.lab');
export const resolveLabDir = (dir?: string): string => resolve(dir ?? defaultLabDir());

/** Files of one lab directory. */
export function labFiles(dir: string) {
  return {
    dir,
    config: join(dir, 'lab.json'),
    hostsJson: join(dir, 'hosts.json'),
    inventory: join(dir, 'inventory.yaml'),
    knownHosts: join(dir, 'known_hosts'),
    identity: join(dir, 'id_ed25519'),
    bin: join(dir, 'bin'),
    hostDir: (name: string) => join(dir, 'hosts', name),
  };
}
export type LabFiles = ReturnType<typeof labFiles>;
