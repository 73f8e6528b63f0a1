// Identity: hosts from one cloned SD-card image share /etc/machine-id (so the MACs systemd derives
// for flannel and bridges collide), SSH host keys, sometimes MACs, and the hostname. The hostname
// rule is `up`'s own (src/rules/node-name.ts), so both say the same thing.
import type { HostFacts } from '../../../facts/types.js';
import type { HostSpec } from '../../../inventory/types.js';
import type { HealthCheck } from '../../../rules/health-check.js';
import { duplicateHostnameMessage, duplicateHostnames } from '../../../rules/node-name.js';
import type { DoctorInput, DoctorSection } from '../types.js';
import { reachableHosts } from './reachable.js';

type Hosts = Array<{ host: HostSpec; facts: HostFacts }>;

/** Inventory names by value, for the values more than one host has. */
function shared(hosts: Hosts, value: (facts: HostFacts, host: HostSpec) => string[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const { host, facts } of hosts) for (const v of new Set(value(facts, host))) owners.set(v, [...(owners.get(v) ?? []), host.name]);
  return new Map([...owners].filter(([, names]) => names.length > 1));
}

function machineIdRows(hosts: Hosts): HealthCheck[] {
  const dup = shared(hosts, (f) => (f.machineId ? [f.machineId] : []));
  return hosts.map(({ host, facts }): HealthCheck => {
    const base = { check: 'identity.machine-id', section: 'identity', host: host.name };
    if (!facts.machineId) return { ...base, status: 'warn', value: 'none', message: 'the host has no /etc/machine-id', fix: 'create one: systemd-machine-id-setup (then reboot)' };
    const others = dup.get(facts.machineId)?.filter((n) => n !== host.name);
    if (!others) return { ...base, status: 'ok', value: facts.machineId.slice(0, 8), message: 'machine-id is unique in the fleet' };
    return {
      ...base,
      status: 'fail',
      value: facts.machineId.slice(0, 8),
      message: `${host.name} has the same machine-id as ${others.join(', ')} (a cloned image): systemd derives interface MACs and DHCP ids from it, so flannel and leases collide`,
      fix: 'on all but one of them: rm /etc/machine-id && systemd-machine-id-setup, then reboot',
      data: { machineId: facts.machineId, sharedWith: others },
    };
  });
}

function hostKeyRows(hosts: Hosts): HealthCheck[] {
  const dup = shared(hosts, (f) => (f.hostKeyFingerprint ? [f.hostKeyFingerprint] : []));
  return hosts.flatMap(({ host, facts }): HealthCheck[] => {
    if (!facts.hostKeyFingerprint) return [];
    const base = { check: 'identity.host-key', section: 'identity', host: host.name, value: facts.hostKeyFingerprint };
    const others = dup.get(facts.hostKeyFingerprint)?.filter((n) => n !== host.name);
    if (!others) return [{ ...base, status: 'ok', message: 'SSH host key is unique in the fleet' }];
    return [
      {
        ...base,
        status: 'fail',
        message: `${host.name} presents the same SSH host key as ${others.join(', ')} (a cloned image): one host can pose as the other, and known_hosts cannot tell them apart`,
        fix: 'on all but one of them: rm /etc/ssh/ssh_host_* && ssh-keygen -A && systemctl restart ssh, then update known_hosts (ssh-keygen -R ADDRESS)',
        data: { sharedWith: others },
      },
    ];
  });
}

const LOOPBACK = /^(127\.|::1$)/;

/**
 * The MACs that matter: those of the interface holding the address fleet reaches the host at; when
 * that address is not on an interface (a DNS name, NAT), every hardware interface's. A host
 * reached over loopback (the lab) has none to compare.
 */
export function comparableMacs(host: HostSpec, facts: HostFacts): string[] {
  if (LOOPBACK.test(host.address)) return [];
  const real = (facts.interfaces ?? []).filter((i) => i.mac !== '00:00:00:00:00:00');
  const carrying = real.filter((i) => i.addresses.includes(host.address));
  return (carrying.length > 0 ? carrying : real.filter((i) => !i.virtual)).map((i) => i.mac);
}

function macRows(hosts: Hosts): HealthCheck[] {
  const dup = shared(hosts, (f, h) => comparableMacs(h, f));
  return hosts.flatMap(({ host, facts }): HealthCheck[] => {
    const macs = comparableMacs(host, facts);
    if (macs.length === 0) return [];
    const clash = macs.find((mac) => dup.has(mac));
    const base = { check: 'identity.mac', section: 'identity', host: host.name };
    if (!clash) return [{ ...base, status: 'ok', value: macs.join(' '), message: 'MAC addresses are unique in the fleet' }];
    const others = dup.get(clash)!.filter((n) => n !== host.name);
    return [
      {
        ...base,
        status: 'fail',
        value: clash,
        message: `${host.name} has the MAC ${clash} as ${others.join(', ')} do: the switch and DHCP see one machine`,
        fix: 'remove the fixed MAC from the cloned network configuration (or give each adapter its own), then reboot',
        data: { mac: clash, sharedWith: others },
      },
    ];
  });
}

function hostnameRows(hosts: Hosts, input: DoctorInput): HealthCheck[] {
  const groups = duplicateHostnames(
    hosts.map((h) => h.host),
    input.facts,
  );
  return hosts.flatMap(({ host, facts }): HealthCheck[] => {
    if (!facts.hostname) return [];
    const group = groups.find((g) => g.hosts.includes(host.name));
    const base = { check: 'identity.hostname', section: 'identity', host: host.name, value: facts.hostname };
    if (!group) return [{ ...base, status: 'ok', message: 'hostname is unique in the fleet' }];
    return [{ ...base, status: 'warn', message: duplicateHostnameMessage(group), fix: `hostnamectl set-hostname ${host.name} (on each of ${group.hosts.join(', ')})` }];
  });
}

export const identitySection: DoctorSection = {
  name: 'identity',
  checks(input) {
    const hosts = reachableHosts(input);
    return [...machineIdRows(hosts), ...hostKeyRows(hosts), ...macRows(hosts), ...hostnameRows(hosts, input)];
  },
};
