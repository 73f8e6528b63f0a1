// The SSH layer's public surface.
export { ConnectionPool, type ConnectionPoolOptions } from './pool.js';
export { SshTransport, type WriteOptions } from './ssh-transport.js';
export { resolveSshTarget, parseJumpSpec } from './resolve-target.js';
export type { SshTarget, SshSettingsWithOrigin, HostSpecForSsh, SettingSource } from './target.js';
export type { PassphrasePrompt } from './ssh-identity-file.js';
export { SudoPasswordError } from './sudo-errors.js';
export { sha256Fingerprint } from './fingerprint.js';
export type { ExecOptions, ExecResult, Transport } from './transport.js';
