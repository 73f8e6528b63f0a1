// Disks and space: each server's disk measured again with the gate's own probe (an SD card that
// passed a year ago may not now), and room and inodes on the K3s data directory (a full one
// stops etcd and containerd).
import type { HealthCheck } from '../../../rules/health-check.js';
import { MIN_FREE_BYTES } from '../../../rules/preflight.js';
import type { DoctorInput, DoctorSection } from '../types.js';
import { reachableHosts } from './reachable.js';

/** Below this etcd cannot compact or snapshot, and K3s's image pulls fail: a failure. */
export const FAIL_FREE_BYTES = 512 * 1024 ** 2;
/** Free inodes below these fractions of the filesystem's: warn, fail. */
export const WARN_FREE_INODES = 0.1;
export const FAIL_FREE_INODES = 0.02;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

function latencyRows(input: DoctorInput): HealthCheck[] {
  const limit = input.inventory.cluster.disk.maxFsyncP99Ms;
  return input.servers.flatMap((name): HealthCheck[] => {
    const f = input.facts.get(name);
    if (!f?.reachable) return [];
    const base = { check: 'disk.fsync', section: 'disk', host: name };
    if (f.disk) {
      const value = `p99 ${f.disk.p99Ms} ms`;
      const data = { p99Ms: f.disk.p99Ms, p50Ms: f.disk.p50Ms, samples: f.disk.samples, limitMs: limit };
      if (f.disk.p99Ms <= limit) return [{ ...base, status: 'ok', value, message: `fdatasync fast enough for etcd (limit ${limit} ms)`, data }];
      return [
        {
          ...base,
          status: 'fail',
          value,
          message: `fdatasync p99 ${f.disk.p99Ms} ms over ${f.disk.samples} writes is above the gate's ${limit} ms: etcd on this disk misses heartbeats and elections follow`,
          fix: 'move the K3s data directory to an SSD (USB 3 or NVMe), or replace the card; fleet up refuses this disk for a new server',
          data,
        },
      ];
    }
    return [
      {
        ...base,
        status: 'warn',
        value: 'not measured',
        message: `the disk could not be measured: ${f.diskError ?? 'no figures'}`,
        fix: 'install fio or python3 on the host, and allow root (sudo) for the probe',
      },
    ];
  });
}

function spaceRows(input: DoctorInput): HealthCheck[] {
  return reachableHosts(input).flatMap(({ host, facts }): HealthCheck[] => {
    const free = facts.dataDirFreeBytes;
    if (free === undefined) return [];
    const base = { check: 'disk.space', section: 'disk', host: host.name, value: `${gib(free)} free`, data: { freeBytes: free } };
    if (free >= MIN_FREE_BYTES) return [{ ...base, status: 'ok', message: 'room enough for K3s under /var/lib/rancher' }];
    return [
      {
        ...base,
        status: free < FAIL_FREE_BYTES ? 'fail' : 'warn',
        message: `only ${gib(free)} free for /var/lib/rancher (K3s wants ${gib(MIN_FREE_BYTES)}): a full data directory stops etcd and image pulls`,
        fix: 'free space (crictl rmi --prune removes unused images) or grow the filesystem',
      },
    ];
  });
}

function inodeRows(input: DoctorInput): HealthCheck[] {
  return reachableHosts(input).flatMap(({ host, facts }): HealthCheck[] => {
    const inodes = facts.dataDirInodes;
    // total 0: btrfs and others allocate inodes as needed.
    if (!inodes || inodes.total === 0) return [];
    const share = inodes.free / inodes.total;
    const base = { check: 'disk.inodes', section: 'disk', host: host.name, value: `${(share * 100).toFixed(0)}% inodes free`, data: { total: inodes.total, free: inodes.free } };
    if (share >= WARN_FREE_INODES) return [{ ...base, status: 'ok', message: 'inodes enough under /var/lib/rancher' }];
    return [
      {
        ...base,
        status: share < FAIL_FREE_INODES ? 'fail' : 'warn',
        message: `${inodes.free} of ${inodes.total} inodes free for /var/lib/rancher: writes fail with space left`,
        fix: 'remove unused images (crictl rmi --prune) and old logs',
      },
    ];
  });
}

export const diskSection: DoctorSection = {
  name: 'disk',
  checks: (input) => [...latencyRows(input), ...spaceRows(input), ...inodeRows(input)],
};
