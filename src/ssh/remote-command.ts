// How an exec request becomes the command line sshd runs plus the bytes fed to its stdin.
// Secrets (env values, the become password) only ever travel on stdin, never in argv.
import { envExportLines, quoteShellWord } from './shell-quote.js';

/**
 * How to become root: not at all (already root, or sudo not asked for), `sudo -n` (NOPASSWD),
 * or `sudo -S` with the password as the first stdin line.
 */
export type SudoMode = 'none' | 'nopasswd' | 'password';

export interface RemoteCommandPlan {
  /** What sshd is asked to run (visible in `ps` on the host: never holds a secret). */
  command: string;
  /** Bytes to send before the caller's stdin (env exports; the command itself for env-only calls). */
  stdinPrefix: string;
}

/**
 * - no env: the command runs as given, stdin is the caller's.
 * - env and no stdin: the remote command is `sh -s`; stdin is the exports then the command.
 * - env and stdin: the command must read a script from stdin (e.g. `sh -s`); the exports are
 *   prepended to that script.
 * - sudo: the resulting command is wrapped in `sudo -n -- sh -c '...'` (or `sudo -S -k -p ''`,
 *   where the caller puts the password line in front of everything else).
 */
export function planRemoteCommand(command: string, options: { env?: Record<string, string>; hasStdin: boolean; sudo: SudoMode }): RemoteCommandPlan {
  let remote = command;
  let stdinPrefix = '';
  if (options.env && Object.keys(options.env).length > 0) {
    stdinPrefix = envExportLines(options.env);
    if (!options.hasStdin) {
      stdinPrefix += `${command}\n`;
      remote = 'sh -s';
    }
  }
  if (options.sudo === 'nopasswd') remote = `sudo -n -- sh -c ${quoteShellWord(remote)}`;
  // -k: always read the password line, even if sudo cached a credential, so it never leaks into the command's stdin.
  if (options.sudo === 'password') remote = `sudo -S -k -p '' -- sh -c ${quoteShellWord(remote)}`;
  return { command: remote, stdinPrefix };
}

/**
 * A script that writes stdin to `path` atomically: a temp file in the same directory (so the
 * rename cannot cross filesystems) created private by mktemp, chmod-ed BEFORE any content is
 * written, then renamed over the target.
 */
export function atomicWriteScript(path: string, mode: number): string {
  const octal = (mode & 0o7777).toString(8).padStart(4, '0');
  return [
    'set -e',
    'umask 077',
    `target=${quoteShellWord(path)}`,
    'tmp=$(mktemp "$(dirname -- "$target")/.fleet-write.XXXXXX")',
    `trap 'rm -f -- "$tmp"' EXIT`,
    `chmod ${octal} "$tmp"`,
    'cat > "$tmp"',
    'mv -f -- "$tmp" "$target"',
    'trap - EXIT',
  ].join('\n');
}

/** sudo's refusal when it would have to ask for a password (`sudo -n`). */
export function isSudoPasswordRequired(stderr: string): boolean {
  return /a password is required|a terminal is required/i.test(stderr);
}

/** sudo's refusal of a wrong password given with -S. */
export function isSudoPasswordRejected(stderr: string): boolean {
  return /incorrect password|Sorry, try again/i.test(stderr);
}
