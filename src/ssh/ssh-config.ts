// A reader for the subset of ~/.ssh/config fleet honours, with OpenSSH semantics: `Host`
// blocks matched against the name typed on the command line, `!` negation, and for each
// keyword the FIRST value obtained wins (IdentityFile accumulates, as in OpenSSH).
// `Match` blocks are not evaluated and never apply. `Include` is expanded where it appears.
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { matchesPatternList, matchesWildcard } from './host-patterns.js';

export interface SshConfigLine {
  keyword: string; // lower-cased
  value: string;
}

/** Top-level lines apply to every host (OpenSSH treats them as an implicit `Host *`). */
export interface SshConfigBlock {
  kind: 'host' | 'match' | 'global';
  patterns: string[];
  lines: SshConfigLine[];
}

export interface SshConfigForHost {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  userKnownHostsFile?: string;
}

export interface SshConfigReadOptions {
  /** Where relative Include paths resolve (OpenSSH: ~/.ssh). */
  includeDir?: string;
  readFile?: (path: string) => string;
}

function splitArguments(rest: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) args.push(match[1] ?? match[2]);
  return args;
}

function expandIncludeGlob(pathPattern: string, readDir: (dir: string) => string[]): string[] {
  const dir = dirname(pathPattern);
  const filePattern = basename(pathPattern);
  if (!/[*?]/.test(filePattern)) return [pathPattern];
  try {
    return readDir(dir)
      .filter((name) => matchesWildcard(name, filePattern))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** Parse config text into blocks; Include lines are replaced by the lines of the files they name. */
export function parseSshConfig(text: string, options: SshConfigReadOptions = {}, depth = 0): SshConfigBlock[] {
  const includeDir = options.includeDir ?? join(homedir(), '.ssh');
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const blocks: SshConfigBlock[] = [{ kind: 'global', patterns: [], lines: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1].toLowerCase();
    const args = splitArguments(match[2]);
    if (keyword === 'host' || keyword === 'match') {
      blocks.push({ kind: keyword, patterns: args, lines: [] });
      continue;
    }
    const current = blocks[blocks.length - 1];
    if (keyword === 'include') {
      if (depth >= 16) continue; // OpenSSH's include depth limit: protects against loops
      for (const arg of args) {
        const pathPattern = arg.startsWith('~/') ? join(homedir(), arg.slice(2)) : isAbsolute(arg) ? arg : join(includeDir, arg);
        for (const path of expandIncludeGlob(pathPattern, (dir) => readdirSync(dir))) {
          let included: string;
          try {
            included = readFile(path);
          } catch {
            continue; // OpenSSH silently skips missing include files
          }
          const [globalPart, ...rest] = parseSshConfig(included, options, depth + 1);
          // Lines before the first Host in an included file belong to the including block.
          current.lines.push(...globalPart.lines);
          if (rest.length > 0) {
            blocks.push(...rest);
            // Whatever follows the Include in the including file still belongs to its block.
            blocks.push({ ...current, lines: [] });
          }
        }
      }
      continue;
    }
    current.lines.push({ keyword, value: args.join(' ') });
  }
  return blocks;
}

function blockApplies(block: SshConfigBlock, name: string): boolean {
  if (block.kind === 'global') return true;
  if (block.kind === 'match') return false;
  return matchesPatternList(name, block.patterns);
}

/** The settings that apply to `name` (what the user would type after `ssh`), first value wins. */
export function sshConfigForHost(blocks: readonly SshConfigBlock[], name: string): SshConfigForHost {
  const result: SshConfigForHost = { identityFiles: [] };
  const seen = new Set<string>();
  for (const block of blocks) {
    if (!blockApplies(block, name)) continue;
    for (const { keyword, value } of block.lines) {
      if (keyword === 'identityfile') {
        result.identityFiles.push(value);
        continue;
      }
      if (seen.has(keyword)) continue;
      seen.add(keyword);
      switch (keyword) {
        case 'hostname':
          result.hostName = value;
          break;
        case 'user':
          result.user = value;
          break;
        case 'port': {
          const port = Number(value);
          if (Number.isInteger(port) && port > 0 && port < 65536) result.port = port;
          else seen.delete(keyword); // an unusable value does not shadow a later good one
          break;
        }
        case 'proxyjump':
          result.proxyJump = value;
          break;
        case 'userknownhostsfile':
          // Several files may be listed; fleet checks and records in the first.
          result.userKnownHostsFile = value.split(/\s+/)[0];
          break;
      }
    }
  }
  return result;
}

/** Expand `~` and the % tokens OpenSSH allows in HostName, IdentityFile and UserKnownHostsFile. */
export function expandSshTokens(value: string, tokens: { host: string; user: string; port: number; originalHost: string }): string {
  const home = homedir();
  const withHome = value.startsWith('~/') ? join(home, value.slice(2)) : value === '~' ? home : value;
  return withHome.replace(/%(.)/g, (whole, letter: string) => {
    switch (letter) {
      case '%':
        return '%';
      case 'h':
        return tokens.host;
      case 'n':
        return tokens.originalHost;
      case 'p':
        return String(tokens.port);
      case 'r':
        return tokens.user;
      case 'd':
        return home;
      default:
        return whole;
    }
  });
}
