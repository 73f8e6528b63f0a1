// What `fleet prepare` will do, from facts alone (pure): on each Raspberry Pi without the memory
// cgroup, add the parameters to its cmdline.txt and reboot it. Hosts that run a K3s server reboot
// one at a time (each back before the next), so a running cluster never loses more than one
// member at once; a cluster that cannot spare one (fault tolerance 0) is refused.
import { SafetyError } from '../../errors.js';
import type { FleetFacts } from '../../facts/types.js';
import type { Inventory } from '../../inventory/types.js';
import { quorumOf } from '../../rules/quorum.js';

export interface PreparedHost {
  name: string;
  action: 'fix-and-reboot' | 'nothing';
  reason: string;
  cmdlinePath?: string;
}

export interface PreparePlan {
  hosts: PreparedHost[];
  /** Rebooted together (no K3s server on them). */
  rebootTogether: string[];
  /** K3s servers: rebooted one at a time. */
  rebootOneByOne: string[];
}

export function planPrepare(inventory: Inventory, facts: FleetFacts): PreparePlan {
  const hosts: PreparedHost[] = inventory.hosts.map((host) => {
    const f = facts.get(host.name);
    if (!f?.reachable) return { name: host.name, action: 'nothing', reason: `unreachable: ${f?.error ?? 'no facts'}` };
    if (!f.piModel) return { name: host.name, action: 'nothing', reason: 'not a Raspberry Pi' };
    if (f.memoryCgroup) return { name: host.name, action: 'nothing', reason: 'memory cgroup enabled' };
    if (!f.cmdlinePath) return { name: host.name, action: 'nothing', reason: 'no /boot/firmware/cmdline.txt or /boot/cmdline.txt found: enable the memory cgroup by hand' };
    if (!f.sudo) return { name: host.name, action: 'nothing', reason: `cannot run commands as root: ${f.sudoError ?? 'sudo -n failed'}` };
    return { name: host.name, action: 'fix-and-reboot', reason: `memory cgroup disabled (${f.piModel})`, cmdlinePath: f.cmdlinePath };
  });
  const rebooting = hosts.filter((h) => h.action === 'fix-and-reboot').map((h) => h.name);
  const runsServer = (name: string) => facts.get(name)?.k3s.role === 'server' && facts.get(name)?.k3s.running === true;
  const rebootOneByOne = rebooting.filter(runsServer);
  const runningServers = inventory.hosts.filter((h) => runsServer(h.name)).length;
  if (rebootOneByOne.length > 0 && quorumOf(runningServers).faultTolerance < 1) {
    throw new SafetyError(
      `rebooting ${rebootOneByOne.join(', ')} would stop the cluster: its ${runningServers} running server${runningServers === 1 ? '' : 's'} tolerate no server down`,
      'enable the memory cgroup on these servers by hand at a time the cluster may be down, or add servers first (3 tolerate one down)',
    );
  }
  return { hosts, rebootTogether: rebooting.filter((name) => !runsServer(name)), rebootOneByOne };
}
