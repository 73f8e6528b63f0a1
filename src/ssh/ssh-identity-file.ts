// Loading private keys: read errors become InputError naming the file; encrypted keys are
// opened with FLEET_SSH_PASSPHRASE or an injected prompt, never anything that could hang.
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { InputError } from '../errors.js';

/** Asks for the passphrase of an encrypted key (e.g. a TTY prompt in the CLI). */
export type PassphrasePrompt = (keyFile: string) => Promise<string>;

export interface LoadedIdentity {
  file: string;
  key: ParsedKey;
}

const passphraseEnv = 'FLEET_SSH_PASSPHRASE';

function parse(content: Buffer, passphrase?: string): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(content, passphrase);
  if (parsed instanceof Error) return parsed;
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

export async function loadIdentity(file: string, prompt?: PassphrasePrompt): Promise<LoadedIdentity> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(`SSH identity file ${file} ${why}`, 'fix ssh.identityFile in the inventory (or IdentityFile in ~/.ssh/config)', { cause: error });
  }
  let parsed = parse(content);
  if (parsed instanceof Error && /no passphrase given/i.test(parsed.message)) {
    const passphrase = process.env[passphraseEnv] ?? (prompt ? await prompt(file) : undefined);
    if (passphrase === undefined) {
      throw new InputError(`SSH identity file ${file} is encrypted and no passphrase was given`, `set ${passphraseEnv} to its passphrase, or add the key to ssh-agent (ssh-add ${file})`);
    }
    parsed = parse(content, passphrase);
    if (parsed instanceof Error) {
      throw new InputError(`cannot decrypt SSH identity file ${file}: wrong passphrase?`, `check ${passphraseEnv}, or add the key to ssh-agent (ssh-add ${file})`, { cause: parsed });
    }
  }
  if (parsed instanceof Error) {
    throw new InputError(`SSH identity file ${file} is not a private key fleet can read: ${parsed.message}`, 'use an ed25519, ecdsa or rsa private key (OpenSSH or PEM format)', { cause: parsed });
  }
  if (!parsed.isPrivateKey()) throw new InputError(`SSH identity file ${file} holds a public key, not a private key`, 'point identityFile at the private half (without .pub)');
  return { file, key: parsed };
}
