// Merging fleet's kubeconfig into the user's (~/.kube/config or $KUBECONFIG's first file), the
// way a careful kubectl user would: a file that is not a kubeconfig is refused and left alone;
// entries of the same name holding something else are never replaced without --force; a backup of
// the old file is kept beside it (a few, newest kept) before each change; the file is written
// atomically, through a symlink, under kubectl's own `<file>.lock` so two writers never interleave.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument, stringify } from 'yaml';
import { InputError } from '../errors.js';
import { atomicWriteFile, readSnapshot, resolveWriteTarget } from './atomic-write.js';

type Entry = { name: string; [key: string]: unknown };
type ListKey = 'clusters' | 'users' | 'contexts';
const LIST_KEYS: ListKey[] = ['clusters', 'users', 'contexts'];
const SINGULAR: Record<ListKey, string> = { clusters: 'cluster', users: 'user', contexts: 'context' };

export interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Entry[];
  users?: Entry[];
  contexts?: Entry[];
  'current-context'?: string;
  [key: string]: unknown;
}

export interface MergeOptions {
  /** Replace same-named entries that hold something else (a backup is kept). */
  force?: boolean;
  /** Make the merged context the current one; otherwise the file's current context stays. */
  setCurrent?: boolean;
  /** Backups kept beside the file (newest first). */
  keepBackups?: number;
  /** The file to merge into; default $KUBECONFIG's first file, else ~/.kube/config. */
  file?: string;
}

export interface MergeResult {
  /** The file as named ($KUBECONFIG's first entry or ~/.kube/config). */
  file: string;
  changed: boolean;
  backup?: string;
}

export const DEFAULT_BACKUPS_KEPT = 5;
const LOCK_WAIT_MS = 5_000;

export function defaultKubeconfigPath(env: Record<string, string | undefined> = process.env): string {
  return env.KUBECONFIG?.split(':').find((p) => p.length > 0) || join(homedir(), '.kube', 'config');
}

const notKubeconfig = (file: string, why: string) =>
  new InputError(`${file} is not a kubeconfig (${why}); fleet left it untouched`, 'fix that file or move it aside, or point KUBECONFIG at another file');

/** The user's kubeconfig as data; refuses anything that is not one. An absent or empty file is empty. */
export function parseUserKubeconfig(text: string | undefined, file: string): KubeconfigDoc {
  if (text === undefined || text.trim() === '') return {};
  const doc = parseDocument(text, { logLevel: 'error', uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    throw notKubeconfig(file, `it does not parse as YAML: line ${error.linePos?.[0]?.line ?? '?'}: ${error.message.split('\n')[0]}`);
  }
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw notKubeconfig(file, 'it is not a YAML map');
  const config = data as KubeconfigDoc;
  if (config.kind !== undefined && config.kind !== 'Config') throw notKubeconfig(file, `kind is ${JSON.stringify(config.kind)}, not Config`);
  const keys = Object.keys(config);
  if (keys.length > 0 && config.kind === undefined && !LIST_KEYS.some((k) => k in config)) throw notKubeconfig(file, 'it has no kind: Config and no clusters, users or contexts');
  for (const key of LIST_KEYS) {
    const list = config[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw notKubeconfig(file, `${key} is not a list`);
    list.forEach((entry, i) => {
      if (entry === null || typeof entry !== 'object' || typeof (entry as Entry).name !== 'string') throw notKubeconfig(file, `${key}[${i}] has no name`);
    });
  }
  const current = config['current-context'];
  if (current !== undefined && current !== null && typeof current !== 'string') throw notKubeconfig(file, 'current-context is not a string');
  return config;
}

/**
 * Merge `incoming` into `existing`. Pure. Throws InputError on a same-named entry that differs,
 * unless forced. `changed` is false when the file would say the same as before.
 */
export function mergeKubeconfigDocs(existing: KubeconfigDoc, incoming: KubeconfigDoc, file: string, options: MergeOptions = {}): { doc: KubeconfigDoc; changed: boolean } {
  const merged: KubeconfigDoc = { ...existing, apiVersion: existing.apiVersion ?? 'v1', kind: existing.kind ?? 'Config' };
  let changed = false;
  for (const key of LIST_KEYS) {
    const list = [...(existing[key] ?? [])];
    for (const entry of incoming[key] ?? []) {
      const at = list.findIndex((e) => e.name === entry.name);
      if (at === -1) {
        list.push(entry);
        changed = true;
      } else if (!isDeepStrictEqual(list[at], entry)) {
        if (!options.force) {
          throw new InputError(
            `${file} already has a ${SINGULAR[key]} named "${entry.name}" that holds something else; fleet does not replace it`,
            `choose another name with --context NAME, or replace it with --force (the old file is backed up beside it)`,
          );
        }
        list[at] = entry;
        changed = true;
      }
    }
    merged[key] = list;
  }
  const incomingCurrent = incoming['current-context'];
  if (options.setCurrent && incomingCurrent) merged['current-context'] = incomingCurrent;
  else merged['current-context'] = existing['current-context'] || incomingCurrent;
  if (merged['current-context'] !== existing['current-context']) changed = true;
  return { doc: merged, changed };
}

const backupPrefix = (real: string) => `${basename(real)}.fleet-backup-`;

function keepNewestBackups(real: string, keep: number): void {
  const dir = dirname(real);
  const prefix = backupPrefix(real);
  const backups = readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .reverse();
  for (const name of backups.slice(keep)) unlinkSync(join(dir, name));
}

/**
 * kubectl's convention: `<file>.lock`, created exclusively, waited for a few seconds, then refused.
 * fleet writes its pid into it, so a lock a killed fleet left behind is taken over at once.
 */
async function withFileLock<T>(real: string, work: () => T): Promise<T> {
  const lock = `${real}.lock`;
  mkdirSync(dirname(real), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (leftByDeadFleet(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new InputError(`${lock} exists: another program is writing ${real}`, `if none is, remove ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function leftByDeadFleet(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Add `incomingText` (one cluster, user and context) to the user's kubeconfig file. */
export async function mergeIntoUserKubeconfig(incomingText: string, options: MergeOptions = {}): Promise<MergeResult> {
  const file = options.file ?? defaultKubeconfigPath();
  const real = resolveWriteTarget(file);
  const incoming = parseUserKubeconfig(incomingText, 'the fetched kubeconfig');
  return withFileLock(real, () => {
    const before = readSnapshot(real);
    const existing = parseUserKubeconfig(before.text, file);
    const merged = mergeKubeconfigDocs(existing, incoming, file, options);
    if (!merged.changed) return { file, changed: false };
    let backup: string | undefined;
    if (before.text !== undefined) {
      backup = `${real}.fleet-backup-${new Date().toISOString().replace(/[:]/g, '')}`;
      atomicWriteFile(backup, before.text, { mode: 0o600, forceMode: true });
      keepNewestBackups(real, options.keepBackups ?? DEFAULT_BACKUPS_KEPT);
    }
    // It holds credentials: 0600 whatever it had, as kubectl creates it.
    atomicWriteFile(real, stringify(merged.doc), { mode: 0o600, forceMode: true, unchangedSince: before });
    return { file, changed: true, ...(backup ? { backup } : {}) };
  });
}

/** Refuse early (before a run changes anything) a target that is not a kubeconfig. */
export function checkUserKubeconfig(file = defaultKubeconfigPath()): void {
  parseUserKubeconfig(readSnapshot(resolveWriteTarget(file)).text, file);
}
