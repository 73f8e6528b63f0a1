// The real OpenSSH client against a lab host, with strict host key checking against DIR/known_hosts.
import { runCommand, type CommandResult, type RunOptions } from './run-command.js';

export interface SshTarget {
  address: string;
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
}

export function sshArgs(target: SshTarget): string[] {
  return [
    '-i',
    target.identityFile,
    '-p',
    String(target.port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${target.knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'LogLevel=ERROR',
  ];
}

export function sshRun(target: SshTarget, command: string, options: RunOptions = {}): Promise<CommandResult> {
  return runCommand('ssh', [...sshArgs(target), `${target.user}@${target.address}`, command], options);
}
