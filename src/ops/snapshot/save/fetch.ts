// Copy a root-only file from a host to the controller over the host's Transport: `cat` as root,
// stdout streamed into a 0600 temp file and hashed on the way (never held whole in memory), then
// checked against the size the host reported and renamed into place.
import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { CommandError } from '../../../errors.js';
import { quoteShellWord } from '../../../ssh/shell-quote.js';
import type { Transport } from '../../../ssh/transport.js';

export interface FetchedFile {
  size: number;
  sha256: string;
}

export async function fetchFile(transport: Transport, remotePath: string, localPath: string, timeoutMs = 30 * 60_000): Promise<FetchedFile> {
  const quoted = quoteShellWord(remotePath);
  const stat = await transport.exec(`stat -c %s ${quoted}`, { sudo: true, timeoutMs: 20_000 });
  const expected = Number(stat.stdout.trim());
  if (stat.exitCode !== 0 || !Number.isInteger(expected)) throw new CommandError(transport.host, `stat ${remotePath}`, stat.exitCode, stat.stderr.trim());
  const partial = `${localPath}.part`;
  const fd = openSync(partial, 'w', 0o600);
  const digest = createHash('sha256');
  let size = 0;
  try {
    const result = await transport.exec(`cat ${quoted}`, {
      sudo: true,
      timeoutMs,
      onStdout: (chunk) => {
        digest.update(chunk);
        size += chunk.length;
        writeSync(fd, chunk);
      },
    });
    if (result.exitCode !== 0) throw new CommandError(transport.host, `copy ${remotePath}`, result.exitCode, result.stderr.trim());
    if (size !== expected) throw new CommandError(transport.host, `copy ${remotePath}`, null, '', `${transport.host}: copying ${remotePath} gave ${size} bytes, the host reports ${expected}`);
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(partial, localPath);
  return { size, sha256: digest.digest('hex') };
}
