// Everything fleet learns about one host, read-only, gathered once per run (src/facts/gather-host.ts).
// The planner reads this record; it never talks to hosts itself.
import type { Arch, FlagMap } from '../inventory/types.js';
import type { CertificateFacts } from './k3s-certs.js';
import type { ClockSync } from './clock-sync.js';
import type { InodeCount } from './data-dir-inodes.js';
import type { NetInterface } from './net-interfaces.js';
import type { RegistriesFileFacts } from './registries-file.js';

export interface DiskLatency {
  /** 99th percentile of write+fdatasync latency, milliseconds. */
  p99Ms: number;
  p50Ms: number;
  /** How many fdatasyncs the figures rest on. */
  samples: number;
  tool: 'fio' | 'python3';
  /** The directory measured (on the filesystem that will hold the etcd data). */
  directory: string;
}

export interface HostFacts {
  host: string;
  reachable: boolean;
  /** Why the host could not be reached or probed, when reachable is false. */
  error?: string;
  /** Login works and `sudo -n true` succeeds (or the user is root). */
  sudo: boolean;
  sudoError?: string;
  /** The host's hostname (K3s's node name when node-name is not set). */
  hostname?: string;
  /** The kernel's boot id: changes at every boot. */
  bootId?: string;
  /** `uname -m` as printed, and the K3s arch it maps to (undefined: unsupported). */
  machine: string;
  arch?: Arch;
  os: { id: string; versionId?: string; prettyName?: string };
  /** "Raspberry Pi 4 Model B Rev 1.4" when the device tree says so. */
  piModel?: string;
  memoryCgroup: boolean;
  /** Where the cmdline lives on a Pi (/boot/firmware/cmdline.txt or /boot/cmdline.txt). */
  cmdlinePath?: string;
  memTotalBytes: number;
  k3s: {
    installed: boolean;
    version?: string;
    /** Which service is installed: k3s (server) or k3s-agent. */
    role?: 'server' | 'agent';
    running: boolean;
    /** /var/lib/rancher/k3s/server/db/etcd exists and holds member data. */
    etcdData: boolean;
    /** /var/lib/rancher/k3s/server/db/state.db exists (SQLite datastore). */
    sqliteData: boolean;
    /** The parsed /etc/rancher/k3s/config.yaml, token removed. */
    config?: FlagMap;
    /** A fingerprint of the installed config's token (never the token), to compare without showing it. */
    tokenHash?: string;
    /** The same fingerprint for the installed config's agent-token, when it sets one. */
    agentTokenHash?: string;
    /** Why config.yaml could not be parsed (never quotes the file: it holds the token). */
    configError?: string;
    /** The dates of the certificates K3s keeps on the node, when it keeps any. */
    certificates?: CertificateFacts;
    /** /etc/rancher/k3s/registries.yaml: fingerprint, mode, fleet's or not (never its content). */
    registries?: RegistriesFileFacts;
  };
  /**
   * Facts that could not be read because the probe ran without root (sudo refused), e.g.
   * 'k3s.config', 'k3s.etcdData': their values above are defaults, not observations.
   */
  unreadable?: string[];
  /** Free bytes on the filesystem holding /var/lib/rancher. */
  dataDirFreeBytes?: number;
  /** Inodes of that filesystem (total 0: it has no fixed inode count, e.g. btrfs). */
  dataDirInodes?: InodeCount;
  /** Host clock minus this machine's clock, milliseconds (positive: host is ahead). */
  clockOffsetMs?: number;
  /** The host's own clock at the start of the facts script (ms since 1970), to catch a clock before 1980. */
  hostClockMs?: number;
  /** Whether the host's time service says the clock is synchronised. */
  clockSync?: ClockSync;
  /** /etc/machine-id (not a secret; cloned images share it). */
  machineId?: string;
  /** Network interfaces with their MACs and addresses. */
  interfaces?: NetInterface[];
  /** SHA256 fingerprint of the host key this host's SSH server presented to fleet. */
  hostKeyFingerprint?: string;
  /** Filled by the disk gate for would-be servers. */
  disk?: DiskLatency;
  diskError?: string;
}

/** Facts of every host, by inventory name. */
export type FleetFacts = Map<string, HostFacts>;
