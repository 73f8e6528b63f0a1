// Paths of the repository's files from compiled tests (which run from dist/test/...).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'playbooks'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json + playbooks/) not found');
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot();
export const factsFixture = (name: string): string => join(repoRoot, 'test/fixtures/facts', name);
// The lab's slow filesystem: one implementation for the lab's SD-card hosts and these tests.
export const slowFsScript = join(repoRoot, 'test/lab/host/slowfs.py');
