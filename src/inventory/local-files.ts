// The local files fleet reads or uploads at plan time (token file, air-gap install files) must
// exist now; SSH identity files are checked only when connecting, so dry-run works anywhere.
import { readFileSync, statSync } from 'node:fs';
import type { InventoryIssue } from '../errors.js';
import { resolveLocalPath } from './local-path.js';
import type { RawInventory } from './inventory-schema.js';
import { isTokenText } from './value-rules.js';
import { formatPath, type PathSegment, type YamlSource } from './yaml-source.js';

/** A token is one line; anything bigger is the wrong file. */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

export interface LocalFileContext {
  dir: string;
  home: string;
  source: YamlSource;
  issues: InventoryIssue[];
}

/** Reads cluster.tokenFile; returns the token (trailing newline removed) or undefined with an issue. */
export function readTokenFile(raw: RawInventory, context: LocalFileContext): string | undefined {
  const given = raw.cluster.tokenFile;
  if (given === undefined) return undefined;
  const path = ['cluster', 'tokenFile'];
  const absolute = resolveLocalPath(given, context.dir, context.home);
  let text: string;
  try {
    // A device or FIFO (/dev/zero, /dev/stdin) would never end or block: only small regular files.
    const stat = statSync(absolute);
    if (!stat.isFile() || stat.size > MAX_TOKEN_FILE_BYTES) {
      report(context, path, `token file ${absolute} is not a regular file of at most ${MAX_TOKEN_FILE_BYTES} bytes`, 'point tokenFile at a small file holding the token (mode 0600)');
      return undefined;
    }
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    report(context, path, `cannot read token file ${absolute}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 'create it (mode 0600) or fix the path');
    return undefined;
  }
  const token = text.replace(/\r?\n$/, '');
  if (!isTokenText(token)) {
    report(context, path, `the token file ${absolute} does not hold a usable token`, 'one line of visible ASCII characters without spaces');
    return undefined;
  }
  return token;
}

/** Checks that every install file exists and is a regular file. */
export function checkInstallFiles(raw: RawInventory, context: LocalFileContext): void {
  const install = raw.cluster.install;
  if (!install) return;
  if (install.script !== undefined) checkFile(install.script, ['cluster', 'install', 'script'], context);
  const binary = install.binary;
  if (typeof binary === 'string') checkFile(binary, ['cluster', 'install', 'binary'], context);
  else if (binary) {
    for (const [arch, path] of Object.entries(binary)) {
      if (path !== undefined) checkFile(path, ['cluster', 'install', 'binary', arch], context);
    }
  }
}

function checkFile(given: string, path: PathSegment[], context: LocalFileContext): void {
  const absolute = resolveLocalPath(given, context.dir, context.home);
  try {
    if (!statSync(absolute).isFile()) report(context, path, `${absolute} is not a regular file`, 'point at the file fleet should upload');
  } catch (error) {
    report(context, path, `cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, 'the file must exist on this machine; it is uploaded to the hosts');
  }
}

function report(context: LocalFileContext, path: PathSegment[], message: string, hint: string): void {
  context.issues.push({ path: formatPath(path), line: context.source.lineOf(path), message, hint });
}
