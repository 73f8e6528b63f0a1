// The resolved inventory: what load() returns after validation, defaults applied, ${VAR}s
// expanded and paths made absolute. Everything downstream reads this, never the raw YAML.

export type Role = 'server' | 'agent' | 'auto';
export type HostKind = 'pi' | 'x86';
export type DiskHint = 'sd' | 'emmc' | 'ssd' | 'nvme';
export type Arch = 'amd64' | 'arm64' | 'arm';

/** A flag value as it appears in config.yaml: scalar, or list for repeatable flags. */
export type FlagValue = string | number | boolean | Array<string | number | boolean>;
export type FlagMap = Record<string, FlagValue>;

export interface SshSettings {
  /** Login user. */
  user: string;
  port: number;
  /** Absolute path of the private key, if one is set (otherwise ssh-agent / ~/.ssh/config). */
  identityFile?: string;
  /** Absolute path of the known_hosts file that host keys are checked against. */
  knownHostsFile: string;
  /** `user@host:port` of a bastion, as OpenSSH's ProxyJump. */
  proxyJump?: string;
  /** The settings the inventory wrote (the rest are defaults, which ~/.ssh/config may override). */
  explicit?: ReadonlySet<keyof SshSettings>;
}

/** A host's /etc/rancher/k3s/registries.yaml, rendered (cluster.registries merged with its own). */
export interface RegistriesFile {
  /** The file's text with credentials: only ever written into the 0600 file. Never print this. */
  content: string;
  /** The same text with credentials as <redacted>: for plans, output and logs. */
  redacted: string;
  /** "sha256:<hex>" of content, as the facts read it from the host. */
  fingerprint: string;
}

export interface HostSpec {
  name: string;
  address: string;
  role: Role;
  init: boolean;
  kind?: HostKind;
  /** The hint, or the default for the kind (pi → sd, x86 → ssd). */
  disk?: DiskHint;
  ssh: SshSettings;
  config: FlagMap;
  labels: Record<string, string>;
  /** registries.yaml for this host, when cluster.registries or the host's registries is set. */
  registries?: RegistriesFile;
  /** 0-based position in the inventory file, for stable ordering and error paths. */
  index: number;
}

export interface InstallSource {
  /** Absolute path of a local install script to upload instead of downloading get.k3s.io. */
  script?: string;
  /** Absolute path of the k3s binary per arch (a single path means every arch). */
  binary?: Partial<Record<Arch, string>>;
}

/** A virtual IP fleet provides with kube-vip (ARP) on the servers. */
export interface VipSpec {
  address: string;
  /** The servers' network interface that carries the address, e.g. eth0. */
  interface: string;
  /** The kube-vip image; fleet pins one by default (KUBE_VIP_IMAGE). */
  image?: string;
}

export interface ClusterSpec {
  name: string;
  /** The token, when set inline or by tokenFile. Never print this. */
  token?: string;
  /** Where the token came from, for messages that must not show it. */
  tokenSource?: 'inline' | 'env' | 'file';
  /** cluster.tokenFile, resolved (absolute): where the token came from when tokenSource is file. */
  tokenFile?: string;
  k3s: { version?: string; channel?: string };
  install?: InstallSource;
  /** The VIP's address when cluster.vip is set (then it is the registration address too). */
  registrationAddress?: string;
  vip?: VipSpec;
  tlsSan: string[];
  /** How many servers to reach when hosts have role: auto. */
  servers?: number;
  allowEvenServers: boolean;
  config: FlagMap;
  agentConfig: FlagMap;
  disk: { maxFsyncP99Ms: number; onSlow: 'refuse' | 'warn' };
  concurrency: number;
  /**
   * When agents start: once the first server is ready (they register through it, or through the
   * registration address, while the other servers join), or only after every server has joined.
   */
  agentsWaitFor: 'first-server' | 'all-servers';
}

export interface Inventory {
  /** Absolute path of the inventory file. */
  file: string;
  /** Directory of the inventory file: relative paths resolve against it; .fleet/ lives here. */
  dir: string;
  cluster: ClusterSpec;
  hosts: HostSpec[];
}
