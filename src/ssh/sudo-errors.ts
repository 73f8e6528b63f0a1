// sudo problems are host configuration problems: say which user and how to fix it.
import { CommandError } from '../errors.js';

export class SudoPasswordError extends CommandError {
  constructor(
    host: string,
    step: string,
    exitCode: number | null,
    stderr: string,
    message: string,
    readonly hint: string,
  ) {
    super(host, step, exitCode, stderr.trim().split('\n').slice(-3).join('\n'), message);
  }
}

export function sudoNeedsPassword(host: string, user: string, step: string, exitCode: number | null, stderr: string): SudoPasswordError {
  return new SudoPasswordError(
    host,
    step,
    exitCode,
    stderr,
    `${host}: sudo needs a password for user ${user} (fleet runs sudo -n, which never prompts)`,
    `allow passwordless sudo for ${user} (e.g. '${user} ALL=(ALL) NOPASSWD: ALL' in /etc/sudoers.d/fleet), log in as root, or re-run with --ask-become-pass`,
  );
}

export function sudoPasswordRejected(host: string, user: string, step: string, exitCode: number | null, stderr: string): SudoPasswordError {
  return new SudoPasswordError(host, step, exitCode, stderr, `${host}: sudo rejected the become password for user ${user}`, 're-run and type the password of that user on the host');
}
