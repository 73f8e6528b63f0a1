// The one way fleet writes a file on this machine: a temporary file beside the real target,
// flushed to disk, renamed over it, and the directory flushed. A crash, a full disk or Ctrl-C at
// any moment leaves either the old file or the new one, never a mix. A symlinked target
// (~/.kube/config often is one) is written through to the file it points at, so the link stays.
import { createHash } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

export interface AtomicWriteOptions {
  /** Mode of a new file; an existing file keeps its own unless `forceMode`. Default 0600. */
  mode?: number;
  /** Always give the file `mode` (secrets: 0600 whatever the old file had). */
  forceMode?: boolean;
  /** Refuse (InputError) when the file's content no longer matches what fleet read earlier. */
  unchangedSince?: FileSnapshot;
}

/** What a file held when fleet read it, to notice that someone else wrote it meanwhile. */
export interface FileSnapshot {
  path: string;
  text: string | undefined;
  sha256: string | undefined;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function readSnapshot(path: string): FileSnapshot {
  const data = readIfExists(path);
  return { path, text: data?.toString('utf8'), sha256: data ? sha256(data) : undefined };
}

/** The file a path finally names, following symlinks even when the last one dangles. */
export function resolveWriteTarget(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw err;
    }
    if (!isLink) return current;
    const link = readlinkSync(current);
    current = isAbsolute(link) ? link : resolve(dirname(current), link);
  }
  throw new InputError(`${path}: too many levels of symbolic links`, 'fix the symlink chain');
}

function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Write `content` to `path` atomically; returns the real file written (after symlinks). */
export function atomicWriteFile(path: string, content: string | Buffer, options: AtomicWriteOptions = {}): string {
  const target = resolveWriteTarget(path);
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = options.forceMode ? (options.mode ?? 0o600) : (existingMode(target) ?? options.mode ?? 0o600);
  const temp = join(dir, `.${basename(target)}.fleet-${process.pid}-${Date.now().toString(36)}.tmp`);
  // Created private (0600) before any byte is in it; the final mode is set before the rename.
  const fd = openSync(temp, 'wx', 0o600);
  let closed = false;
  try {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset, data.length - offset);
    if (mode !== 0o600) fchmodSync(fd, mode);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    if (options.unchangedSince) assertUnchanged(options.unchangedSince);
    renameSync(temp, target);
  } catch (err) {
    if (!closed) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Never created or already renamed.
    }
    throw err;
  }
  fsyncDirectory(dir);
  return target;
}

function assertUnchanged(snapshot: FileSnapshot): void {
  const now = readIfExists(snapshot.path);
  const nowHash = now ? sha256(now) : undefined;
  if (nowHash !== snapshot.sha256) {
    throw new InputError(
      `${snapshot.path} changed on disk since fleet read it (an editor saved it meanwhile?); fleet did not overwrite it`,
      'make the change fleet describes by hand, or run the command again',
    );
  }
}
