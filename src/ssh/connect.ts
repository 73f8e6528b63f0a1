// Opening one authenticated, host-key-checked ssh2 connection, directly or through a bastion,
// retrying only failures to reach the host (with exponential backoff).
import ssh2, { type AgentAuthMethod, type Client as ClientType, type PublicKeyAuthMethod } from 'ssh2';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, FleetError } from '../errors.js';
import { isRetryableConnectError, toConnectionError, type AuthAttempt } from './connection-errors.js';
import { sha256Fingerprint } from './fingerprint.js';
import { createHostKeyVerification } from './host-key-verifier.js';
import { loadIdentity, type LoadedIdentity, type PassphrasePrompt } from './ssh-identity-file.js';
import type { SshTarget } from './target.js';

export interface ConnectSettings {
  acceptNewHostKeys: boolean;
  /** Limit for TCP connect + SSH handshake + authentication (ssh2 readyTimeout). */
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** Attempts after the first, for connection errors only. */
  connectRetries: number;
  retryBaseDelayMs: number;
  passphrasePrompt?: PassphrasePrompt;
  /** ssh-agent socket; undefined means no agent. */
  agentSocket?: string;
}

/** The fingerprint of the host key each connection was accepted with (doctor compares them across hosts). */
const presentedHostKeys = new WeakMap<ClientType, string>();

export function presentedHostKeyFingerprint(client: ClientType): string | undefined {
  return presentedHostKeys.get(client);
}

/** The agent's keys first, then the key files in order (as OpenSSH offers them). */
function authMethods(user: string, identities: LoadedIdentity[], agentSocket?: string): Array<AgentAuthMethod | PublicKeyAuthMethod> {
  const methods: Array<AgentAuthMethod | PublicKeyAuthMethod> = [];
  if (agentSocket) methods.push({ type: 'agent', username: user, agent: agentSocket });
  for (const identity of identities) methods.push({ type: 'publickey', username: user, key: identity.key });
  return methods;
}

/** A tunnel from the bastion to the target, used as the target connection's socket. */
function forwardThrough(jump: ClientType, target: SshTarget, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('ProxyJump tunnel did not open in time'), { level: 'client-timeout' })), timeoutMs);
    jump.forwardOut('127.0.0.1', 0, target.address, target.port, (error, stream) => {
      clearTimeout(timer);
      if (error) {
        // The bastion could not reach the target; code it like a refused TCP connect so it is retried.
        reject(Object.assign(new Error(`ProxyJump ${target.jump?.label} could not reach ${target.address}:${target.port}: ${error.message}`), { code: 'EJUMPFORWARD' }));
        return;
      }
      resolve(stream);
    });
  });
}

function handshake(target: SshTarget, settings: ConnectSettings, identities: LoadedIdentity[], sock: Duplex | undefined): Promise<ClientType> {
  const verification = createHostKeyVerification(target, settings.acceptNewHostKeys);
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    let settled = false;
    client.once('ready', () => {
      settled = true;
      // Later connection errors surface as 'close' on the transport; never as an unhandled event.
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      resolve(client);
    });
    client.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(verification.refusal ?? error);
    });
    client.on('close', () => {
      if (settled) return;
      settled = true;
      reject(verification.refusal ?? Object.assign(new Error('connection closed during the SSH handshake'), { code: 'ECONNRESET' }));
    });
    client.connect({
      host: target.address,
      port: target.port,
      sock,
      username: target.user,
      readyTimeout: settings.connectTimeoutMs,
      keepaliveInterval: settings.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        presentedHostKeys.set(client, sha256Fingerprint(key));
        return verification.verify(key);
      },
      algorithms: verification.serverHostKeyAlgorithms ? { serverHostKey: verification.serverHostKeyAlgorithms } : undefined,
      authHandler: authMethods(target.user, identities, settings.agentSocket),
    });
  });
}

/**
 * Connect to `target`. `openJump` returns the (shared) connection to target.jump. Keys are
 * loaded once before any attempt, so a bad key file fails fast with an InputError.
 */
export async function connectTarget(target: SshTarget, settings: ConnectSettings, openJump: (jump: SshTarget) => Promise<ClientType>): Promise<ClientType> {
  const identities: LoadedIdentity[] = [];
  for (const file of target.identityFiles) identities.push(await loadIdentity(file, settings.passphrasePrompt));
  const auth: AuthAttempt = { user: target.user, keyFiles: target.identityFiles, agentSocket: settings.agentSocket };
  for (let attempt = 0; ; attempt++) {
    try {
      const sock = target.jump ? await forwardThrough(await openJump(target.jump), target, settings.connectTimeoutMs) : undefined;
      return await handshake(target, settings, identities, sock);
    } catch (error) {
      // Host key refusals, bad key files and failures of the bastion itself are final.
      if (error instanceof FleetError) throw error;
      const retryable = isRetryableConnectError(error) || (error as { code?: string }).code === 'EJUMPFORWARD';
      if (!retryable || attempt >= settings.connectRetries) {
        if ((error as { code?: string }).code === 'EJUMPFORWARD') {
          throw new ConnectionError(target.label, `${target.label}: ${(error as Error).message}`, 'check the address and port from the bastion side, and AllowTcpForwarding on the bastion', {
            cause: error,
          });
        }
        throw toConnectionError(target, error, auth);
      }
      await sleep(settings.retryBaseDelayMs * 2 ** attempt);
    }
  }
}
