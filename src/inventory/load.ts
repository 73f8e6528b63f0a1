// load(path): read → parse YAML → expand ${VAR} → schema → cross-field checks → local files →
// resolved Inventory. Every problem is collected and thrown together as one InventoryError.
import { homedir, userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { InventoryError, type InventoryIssue } from '../errors.js';
import { crossCheck } from './cross-checks.js';
import { expandEnv, type Environment } from './expand-env.js';
import { readInventoryFile } from './inventory-file.js';
import { issuesFromZod } from './issues.js';
import { checkInstallFiles, readTokenFile } from './local-files.js';
import { resolveInventory } from './resolve.js';
import { inventorySchema } from './inventory-schema.js';
import type { Inventory } from './types.js';
import { parseYaml } from './yaml-source.js';

export { MAX_INVENTORY_BYTES } from './inventory-file.js';

export interface LoadOptions {
  /** Where ${VAR} and the token come from (default process.env). */
  env?: Environment;
  /** For `~` (default the current user's home). */
  home?: string;
  /** Default SSH user (default the current local user, as OpenSSH does). */
  localUser?: string;
}

export function load(path: string): Inventory {
  return loadInventory(path);
}

export function loadInventory(path: string, options: LoadOptions = {}): Inventory {
  const file = resolve(path);
  const text = readInventoryFile(file);
  return parseInventory(text, file, options);
}

/** The pure part of loading, for tests: text in, Inventory out (local files are still read). */
export function parseInventory(text: string, file: string, options: LoadOptions = {}): Inventory {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const dir = dirname(file);
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new InventoryError(file, sortIssues(parsed.issues));
  const source = parsed.source;

  const issues: InventoryIssue[] = [];
  const tokenWritten = tokenReference(source.data);
  const expanded = withoutExtensions(expandEnv(source, env, issues));
  // A value whose variable is unset is reported once, as the unset variable.
  const unsetPaths = new Set(issues.map((issue) => issue.path));
  const result = inventorySchema.safeParse(expanded);
  if (!result.success) issues.push(...issuesFromZod(result.error, { ...source, data: expanded }).filter((issue) => !unsetPaths.has(issue.path)));
  issues.push(...crossCheck(expanded, source));
  if (!result.success || issues.length > 0) throw new InventoryError(file, sortIssues(issues));

  const raw = result.data;
  const context = { dir, home, source, issues };
  const fileToken = readTokenFile(raw, context);
  checkInstallFiles(raw, context);
  if (issues.length > 0) throw new InventoryError(file, sortIssues(issues));

  const token =
    raw.cluster.token !== undefined
      ? { value: raw.cluster.token, source: tokenWritten !== undefined && tokenWritten.includes('${') ? ('env' as const) : ('inline' as const) }
      : fileToken !== undefined
        ? { value: fileToken, source: 'file' as const }
        : undefined;
  return resolveInventory(raw, { file, dir, home, localUser: options.localUser ?? currentUser(), ...(token ? { token } : {}) });
}

/** Top-level `x-…` keys hold YAML anchors for merge keys (`x-pi: &pi {…}`, then `<<: *pi`), as in Compose files. */
export function withoutExtensions(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith(EXTENSION_PREFIX)));
}

export const EXTENSION_PREFIX = 'x-';

function tokenReference(data: unknown): string | undefined {
  const cluster = (data as { cluster?: { token?: unknown } } | null)?.cluster;
  return typeof cluster?.token === 'string' ? cluster.token : undefined;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}

function sortIssues(issues: InventoryIssue[]): InventoryIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
