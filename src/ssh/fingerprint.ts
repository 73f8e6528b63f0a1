// Host key fingerprints in the exact form OpenSSH prints them, so users can compare what fleet
// shows with `ssh-keygen -lf` / `ssh-keyscan` output character for character.
import { createHash } from 'node:crypto';

/** `SHA256:` + unpadded base64 of sha256(key blob), as `ssh-keygen -l` prints it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The key type named inside an SSH wire-format public key blob (e.g. `ssh-ed25519`). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length <= 0 || length > 64 || 4 + length > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}
