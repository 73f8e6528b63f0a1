// Turning ssh2 / socket errors into messages that say what is wrong and what to do, and
// deciding which failures are worth another connection attempt.
import { ConnectionError } from '../errors.js';
import type { SshTarget } from './target.js';

interface SshLikeError extends Error {
  code?: string;
  level?: string;
}

const retryableCodes = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

/**
 * Only failures to reach the host are retried: never authentication or host key problems
 * (another try cannot fix them and may lock an account), never anything after `ready`.
 */
export function isRetryableConnectError(error: unknown): boolean {
  const e = error as SshLikeError;
  if (e?.code && retryableCodes.has(e.code)) return true;
  return e?.level === 'client-timeout';
}

export interface AuthAttempt {
  user: string;
  keyFiles: string[];
  agentSocket?: string;
}

function endpoint(target: SshTarget): string {
  return `${target.address}:${target.port}`;
}

function via(target: SshTarget): string {
  return target.jump ? ` (through ProxyJump ${target.jump.label})` : '';
}

/** A ConnectionError for `target` explaining `error`; `auth` describes what was offered. */
export function toConnectionError(target: SshTarget, error: unknown, auth: AuthAttempt): ConnectionError {
  const e = error as SshLikeError;
  const where = endpoint(target);
  const host = target.label;
  const options = { cause: error };
  switch (e?.code) {
    case 'ECONNREFUSED':
      return new ConnectionError(
        host,
        `${host}: connection refused: nothing listens on ${where}${via(target)} — is sshd running?`,
        `check the address and ssh.port in the inventory; on the host: systemctl status ssh`,
        options,
      );
    case 'ETIMEDOUT':
      return new ConnectionError(
        host,
        `${host}: connecting to ${where}${via(target)} timed out`,
        'is the host powered on and on the network? is a firewall dropping port ' + target.port + '?',
        options,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectionError(host, `${host}: no route to ${where}${via(target)}`, 'is the host powered on and on this network? check the address in the inventory', options);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(host, `${host}: cannot resolve the name ${target.address}`, 'use an IP address, or a name your DNS / /etc/hosts / ~/.ssh/config knows', options);
    case 'ECONNRESET':
      return new ConnectionError(
        host,
        `${host}: ${where} closed the connection during the SSH handshake`,
        'is it an SSH server? check sshd logs on the host (MaxStartups, fail2ban, AllowUsers)',
        options,
      );
  }
  if (e?.level === 'client-timeout') {
    return new ConnectionError(
      host,
      `${host}: no SSH handshake from ${where}${via(target)} in time`,
      'the port is open but no SSH server answered; check the port, or raise the connect timeout',
      options,
    );
  }
  if (e?.level === 'client-authentication') {
    const offered = [
      auth.agentSocket ? `keys from ssh-agent (${auth.agentSocket})` : 'no ssh-agent (SSH_AUTH_SOCK is not set)',
      auth.keyFiles.length > 0 ? `key file${auth.keyFiles.length > 1 ? 's' : ''} ${auth.keyFiles.join(', ')}` : 'no key file',
    ].join(' and ');
    return new ConnectionError(
      host,
      `${host}: ${where} refused every key for user ${auth.user}: tried ${offered}`,
      `check ssh.user and ssh.identityFile; the matching public key must be in ~${auth.user}/.ssh/authorized_keys on the host (ssh-copy-id -i KEY.pub ${auth.user}@${target.address})`,
      options,
    );
  }
  return new ConnectionError(host, `${host}: SSH connection to ${where}${via(target)} failed: ${e?.message ?? String(error)}`, 'run `ssh -v` to the same host to see where it stops', options);
}
