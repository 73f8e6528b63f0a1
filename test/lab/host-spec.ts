// What a lab host is: its name, address and the looks it was asked for.

export const LAB_USER = 'fleet';
export const SSH_PORT = 22;

export interface HostSpec {
  name: string;
  address: string;
  pi: boolean;
  slowDiskMs: number;
  noMemcg: boolean;
  /** The host's hostname when it is not its lab name (every host alike, as the Pi imager does). */
  hostname?: string;
  /** Days its first K3s certificates are valid (negative: expired that many days ago); K3s: 365. */
  certDays?: number;
}

/** What DIR/hosts.json lists for each host. */
export interface HostEntry {
  name: string;
  address: string;
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  pi: boolean;
  slowDiskMs: number;
}

export const DEFAULT_NETWORK = '127.0.1';

export interface HostOptions {
  hosts: number;
  /** The first three octets of the hosts' addresses (default 127.0.1: h1 is 127.0.1.1). */
  network?: string;
  pi?: string[];
  slowDisk?: Record<string, number>;
  noMemcg?: string[];
  /** One hostname for every host (e.g. raspberrypi), instead of h1..hN. */
  hostname?: string;
  /** The first certificates' validity in days: every host, or by host name (see HostSpec.certDays). */
  certDays?: number | Record<string, number>;
}

/** Hosts h1..hN at 127.0.1.1..127.0.1.N (or NETWORK.1..N). */
export function hostSpecs(options: HostOptions): HostSpec[] {
  const network = options.network ?? DEFAULT_NETWORK;
  // All of 127.0.0.0/8 reaches lo on Linux, so any 127.x.y prefix works without setup.
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(network)) throw new TypeError(`lab: network must look like 127.0.1, got ${network}`);
  if (!Number.isInteger(options.hosts) || options.hosts < 1 || options.hosts > 254) {
    throw new TypeError(`lab: hosts must be an integer from 1 to 254, got ${options.hosts}`);
  }
  if (options.hostname !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(options.hostname)) {
    throw new TypeError(`lab: --hostname must be a hostname such as raspberrypi, got ${options.hostname}`);
  }
  const specs: HostSpec[] = Array.from({ length: options.hosts }, (_, i) => ({
    name: `h${i + 1}`,
    address: `${network}.${i + 1}`,
    pi: false,
    slowDiskMs: 0,
    noMemcg: false,
    ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
  }));
  const byName = (name: string, option: string): HostSpec => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new TypeError(`lab: ${option} names ${name}, which is not one of h1..h${options.hosts}`);
    return spec;
  };
  for (const name of options.pi ?? []) byName(name, '--pi').pi = true;
  for (const name of options.noMemcg ?? []) byName(name, '--no-memcg').noMemcg = true;
  for (const [name, ms] of Object.entries(options.slowDisk ?? {})) {
    if (!Number.isFinite(ms) || ms <= 0) throw new TypeError(`lab: --slow-disk ${name}=${ms}: the delay must be a positive number of ms`);
    byName(name, '--slow-disk').slowDiskMs = ms;
  }
  const certDays = typeof options.certDays === 'number' ? Object.fromEntries(specs.map((s) => [s.name, options.certDays as number])) : (options.certDays ?? {});
  for (const [name, days] of Object.entries(certDays)) {
    if (!Number.isInteger(days) || days === 0) throw new TypeError(`lab: --cert-days ${name}=${days}: a whole number of days, not 0 (negative: expired)`);
    byName(name, '--cert-days').certDays = days;
  }
  return specs;
}
