// Can each host be checked at all: a host down is reported (and left out of the other sections),
// the rest are checked; without root some facts (K3s's files) are unreadable.
import type { HealthCheck } from '../../../rules/health-check.js';
import type { DoctorInput, DoctorSection } from '../types.js';

function hostChecks({ inventory, facts }: DoctorInput): HealthCheck[] {
  return inventory.hosts.flatMap((host): HealthCheck[] => {
    const f = facts.get(host.name);
    if (!f?.reachable) {
      const error = f?.error ?? 'no facts were gathered';
      return [
        {
          check: 'host.reachable',
          section: 'hosts',
          host: host.name,
          status: 'fail',
          value: 'down',
          message: `${host.name} could not be checked: ${error}`,
          fix: `make ${host.address} answer SSH (power, network, sshd), then run fleet doctor again`,
        },
      ];
    }
    const rows: HealthCheck[] = [{ check: 'host.reachable', section: 'hosts', host: host.name, status: 'ok', value: 'up', message: `${host.name} answers SSH` }];
    if (!f.sudo) {
      rows.push({
        check: 'host.sudo',
        section: 'hosts',
        host: host.name,
        status: 'warn',
        value: 'no root',
        message: `commands as root are refused (${f.sudoError ?? 'sudo -n failed'}): checks that read K3s's files or measure the disk are incomplete`,
        fix: `allow passwordless sudo for ${host.ssh.user}, or run with --ask-become-pass`,
      });
    }
    return rows;
  });
}

export const hostsSection: DoctorSection = { name: 'hosts', checks: hostChecks };
