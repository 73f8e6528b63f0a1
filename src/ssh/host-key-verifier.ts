// Checking the key a server presents against known_hosts, before any authentication happens.
// Unknown keys are refused unless acceptNewHostKeys (then recorded); changed or revoked keys are
// always refused. There is deliberately no switch that turns checking off.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { HostKeyError, InputError } from '../errors.js';
import { keyTypeOfBlob, sha256Fingerprint } from './fingerprint.js';
import { checkHostKey, formatKnownHostsLine, hostKeysFor, knownHostsName, parseKnownHosts, preferredHostKeyAlgorithms, type KnownHostEntry } from './known-hosts.js';
import type { SshTarget } from './target.js';

/** The host key algorithms ssh2 1.x supports, in its default order. */
const supportedHostKeyAlgorithms: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

export interface HostKeyVerification {
  /** Passed to ssh2 as `hostVerifier`. */
  verify: (key: Buffer) => boolean;
  /** Passed to ssh2 as `algorithms.serverHostKey` (known key types first), when any are known. */
  serverHostKeyAlgorithms?: ServerHostKeyAlgorithm[];
  /** Set when verify refused: the error to report instead of ssh2's generic one. */
  refusal?: HostKeyError;
}

function readKnownHosts(file: string): KnownHostEntry[] {
  if (!existsSync(file)) return [];
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'), file);
  } catch (error) {
    throw new InputError(`cannot read known_hosts file ${file}`, 'check ssh.knownHostsFile in the inventory and its permissions', { cause: error });
  }
}

function typeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  return keyType;
}

function recordNewKey(file: string, name: string, keyType: string, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  // mode applies only when the file is created: a new known_hosts is private to its owner.
  appendFileSync(file, separator + formatKnownHostsLine(name, keyType, key), { mode: 0o600 });
}

function changedMessage(target: SshTarget, name: string, keyType: string, fingerprint: string, old: KnownHostEntry, revoked: boolean): string {
  const banner = revoked ? 'REVOKED HOST KEY DETECTED!' : 'REMOTE HOST IDENTIFICATION HAS CHANGED!';
  const oldFingerprint = sha256Fingerprint(old.key);
  const lines = [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    `@    WARNING: ${banner}`,
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    `${target.label} (${name}): IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!`,
    `The ${typeLabel(keyType)} host key it sent has fingerprint ${fingerprint}.`,
    revoked ? `That key is marked @revoked in ${old.file}:${old.line}.` : `${old.file}:${old.line} records a different ${typeLabel(old.keyType)} key: ${oldFingerprint}.`,
    'Fleet refused to connect; nothing was sent to this host.',
  ];
  return lines.join('\n');
}

export function createHostKeyVerification(target: SshTarget, acceptNewHostKeys: boolean): HostKeyVerification {
  const name = knownHostsName(target.address, target.port);
  const entries = readKnownHosts(target.knownHostsFile);
  const result: HostKeyVerification = {
    serverHostKeyAlgorithms: preferredHostKeyAlgorithms(hostKeysFor(entries, name), supportedHostKeyAlgorithms),
    verify: (key: Buffer): boolean => {
      const keyType = keyTypeOfBlob(key);
      const fingerprint = sha256Fingerprint(key);
      const check = checkHostKey(entries, name, keyType, key);
      switch (check.status) {
        case 'known':
          return true;
        case 'unknown': {
          if (acceptNewHostKeys) {
            recordNewKey(target.knownHostsFile, name, keyType, key);
            return true;
          }
          const portFlag = target.port === 22 ? '' : ` -p ${target.port}`;
          result.refusal = new HostKeyError(
            target.label,
            'unknown',
            fingerprint,
            `${target.label}: the host key of ${name} is not in ${target.knownHostsFile}; its ${typeLabel(keyType)} key fingerprint is ${fingerprint}`,
            `verify that fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_${typeLabel(keyType).toLowerCase()}_key.pub), ` +
              `then run: ssh-keyscan -H${portFlag} ${target.address} >> ${target.knownHostsFile}   — or re-run with --accept-new-host-keys`,
          );
          return false;
        }
        case 'changed':
        case 'revoked': {
          const revoked = check.status === 'revoked';
          result.refusal = new HostKeyError(
            target.label,
            'changed',
            fingerprint,
            changedMessage(target, name, keyType, fingerprint, check.entry, revoked),
            revoked
              ? `this key was revoked on purpose; find out why before going further`
              : `if the host was reinstalled, verify the new fingerprint out of band, then remove the old entry: ssh-keygen -R '${name}' -f ${target.knownHostsFile}`,
          );
          return false;
        }
      }
    },
  };
  return result;
}
