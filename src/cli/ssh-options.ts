// SSH flags shared by every command that connects, and their translation to pool options.
import type { Argv } from 'yargs';
import type { ConnectionPoolOptions } from '../ssh/pool.js';
import { durationSeconds } from './options/numbers.js';
import { promptSecret } from './prompt.js';

/** The range of --connect-timeout, in seconds. */
export const CONNECT_TIMEOUT = { min: 1, max: 600 };
/** --connect-timeout when not given (status, kubeconfig and add-node pass shorter ones). */
export const DEFAULT_CONNECT_TIMEOUT_S = 20;

export interface SshCliOptions {
  acceptNewHostKeys: boolean;
  askBecomePass: boolean;
  connectTimeout?: number;
}

export function withSshOptions<T>(argv: Argv<T>): Argv<T & SshCliOptions> {
  return argv
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'Record host keys of hosts not yet in known_hosts (like OpenSSH accept-new); a changed key is still refused' })
    .option('ask-become-pass', { alias: 'K', type: 'boolean', default: false, describe: 'Ask once for the sudo password of hosts whose sudo needs one (or set FLEET_BECOME_PASSWORD)' })
    .option('connect-timeout', {
      type: 'string',
      coerce: durationSeconds('--connect-timeout', CONNECT_TIMEOUT),
      describe: `Seconds to wait for a host to accept the SSH connection, ${CONNECT_TIMEOUT.min}-${CONNECT_TIMEOUT.max} (default ${DEFAULT_CONNECT_TIMEOUT_S}; e.g. 20, 20s, 2m)`,
    }) as unknown as Argv<T & SshCliOptions>;
}

export async function sshOptions(args: SshCliOptions): Promise<ConnectionPoolOptions> {
  const options: ConnectionPoolOptions = {
    acceptNewHostKeys: args.acceptNewHostKeys,
    passphrasePrompt: (file: string) => promptSecret(`Passphrase for ${file}: `),
  };
  options.connectTimeoutMs = (args.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000;
  const fromEnv = process.env.FLEET_BECOME_PASSWORD;
  if (fromEnv !== undefined) options.becomePassword = fromEnv;
  else if (args.askBecomePass) options.becomePassword = () => promptSecret('sudo password (become): ');
  return options;
}
