// Where and how to reach one host: the inventory's SSH settings merged with ~/.ssh/config.
import type { HostSpec, SshSettings } from '../inventory/types.js';

/** Where a resolved value came from, so messages can say why fleet used it. */
export type SettingSource = 'inventory' | 'ssh-config' | 'default';

/**
 * Inventory SSH settings plus which of them the user wrote (the inventory loader fills in
 * defaults for user, port and knownHostsFile; src/inventory/resolve.ts records `explicit`).
 * Without `explicit`, every value present is treated as written, so the inventory wins.
 */
export interface SshSettingsWithOrigin extends SshSettings {
  explicit?: ReadonlySet<keyof SshSettings>;
}

export type HostSpecForSsh = Omit<HostSpec, 'ssh'> & { ssh: SshSettingsWithOrigin };

export interface SshTarget {
  /** Inventory name (or the jump spec for a bastion): what messages call the host. */
  label: string;
  /** Address to connect to, after ~/.ssh/config HostName. */
  address: string;
  port: number;
  user: string;
  /** Key files to offer, in order, after the agent's keys. */
  identityFiles: string[];
  knownHostsFile: string;
  /** The bastion to tunnel through (ProxyJump), itself fully resolved. */
  jump?: SshTarget;
  sources: { address: SettingSource; user: SettingSource; port: SettingSource; identityFiles: SettingSource; jump: SettingSource };
}
