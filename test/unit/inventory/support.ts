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

/**
 * Catches whatever would reach the console while it is on: process warnings (how the yaml library
 * prints its own), console.warn/error/log and direct writes to stderr. `stop()` puts them back.
 */
export function captureConsole(): { printed: string[]; stop: () => void } {
  const printed: string[] = [];
  const saved = { emitWarning: process.emitWarning, warn: console.warn, error: console.error, log: console.log, stderr: process.stderr.write };
  const keep = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  process.emitWarning = keep as typeof process.emitWarning;
  console.warn = keep;
  console.error = keep;
  console.log = keep;
  process.stderr.write = ((chunk: unknown) => (keep(chunk), true)) as typeof process.stderr.write;
  return {
    printed,
    stop: () => {
      process.emitWarning = saved.emitWarning;
      console.warn = saved.warn;
      console.error = saved.error;
      console.log = saved.log;
      process.stderr.write = saved.stderr;
    },
  };
}
