// Reads a file of the package's playbooks/ directory, which sits at the package root both in the
// repository (next to src/) and in the published package (next to dist/).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// This module runs from dist/src/facts/ when built, from src/facts/ under a TS loader.
const CANDIDATE_DIRS = ['../../../playbooks/', '../../playbooks/'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));

export function readPlaybookFile(name: string): string {
  const dir = CANDIDATE_DIRS.find((candidate) => existsSync(candidate + name));
  if (dir === undefined) throw new Error(`playbook ${name} not found in ${CANDIDATE_DIRS.join(' or ')}`);
  return readFileSync(dir + name, 'utf8');
}
