// Put a token into a host's /etc/rancher/k3s/config.yaml (0600, every other line kept), without
// the token on any command line: it travels as environment on stdin (playbooks/token-write.sh).
// Used by token rotation (the new token) and by a restore of a snapshot taken before one (the old).
import { CommandError } from '../errors.js';
import { readPlaybookFile } from '../facts/playbook-file.js';
import type { Transport } from '../ssh/transport.js';
import { tail } from './install-k3s.js';

export async function writeConfigToken(transport: Transport, token: string): Promise<{ changed: string }> {
  const result = await transport.exec('sh -s', { stdin: readPlaybookFile('token-write.sh'), env: { FLEET_NEW_TOKEN: token }, sudo: true, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new CommandError(transport.host, 'write the token into config.yaml', result.exitCode, tail(result.stderr));
  return { changed: 'config.yaml' };
}
