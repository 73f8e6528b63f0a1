// Helpers for inventory tests: load YAML text from a temporary directory with a pinned env.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InventoryError, type InventoryIssue } from '../../../src/errors.js';
import { loadInventory, type LoadOptions } from '../../../src/inventory/load.js';
import type { Inventory } from '../../../src/inventory/types.js';

export const HOME = '/home/tester';

// Thousands of cases each get a directory (the fuzz test alone makes ~2,000); all go at exit.
const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-inventory-'));
  made.push(dir);
  return dir;
}

export function loadText(text: string, options: LoadOptions & { dir?: string } = {}): Inventory {
  const dir = options.dir ?? tempDir();
  const file = join(dir, 'inventory.yaml');
  writeFileSync(file, text);
  return loadInventory(file, { env: {}, home: HOME, localUser: 'tester', ...options });
}

/** The issues of an inventory that must fail; fails the test if it loads. */
export function issuesOf(text: string, options: LoadOptions & { dir?: string } = {}): InventoryIssue[] {
  try {
    loadText(text, options);
  } catch (error) {
    if (error instanceof InventoryError) return error.issues;
    throw error;
  }
  throw new Error('expected the inventory to be rejected');
}

export function issueAt(issues: InventoryIssue[], path: string): InventoryIssue {
  const found = issues.find((issue) => issue.path === path);
  if (!found) throw new Error(`no issue at ${path}; got ${issues.map((issue) => `${issue.path}: ${issue.message}`).join(' | ')}`);
  return found;
}

export const MINIMAL = `cluster:
  name: lab
hosts:
  - name: pi-1
    address: 10.0.0.1
`;
