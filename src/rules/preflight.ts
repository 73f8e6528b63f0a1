// Preflight: judge each host from its gathered facts before anything is installed anywhere.
// Pure, so every rule is tested from data. A problem on a server stops the whole run (the
// cluster cannot be formed as planned); a problem on an agent drops only that agent.
import { unsupportedArchReason } from '../facts/arch.js';
import type { HostFacts } from '../facts/types.js';
import type { HostSpec } from '../inventory/types.js';

export interface PreflightResult {
  host: string;
  problems: string[];
  warnings: string[];
}

export const CLOCK_WARN_MS = 1_000;
export const CLOCK_REFUSE_SERVER_MS = 30_000;
/** K3s needs about this much room for images and the datastore. */
export const MIN_FREE_BYTES = 2 * 1024 ** 3;

export function preflight(host: HostSpec, role: 'server' | 'agent', facts: HostFacts | undefined): PreflightResult {
  const result: PreflightResult = { host: host.name, problems: [], warnings: [] };
  const problem = (text: string) => result.problems.push(text);
  const warn = (text: string) => result.warnings.push(text);
  if (!facts || !facts.reachable) {
    problem(`unreachable: ${facts?.error ?? 'no facts were gathered'}`);
    return result;
  }
  if (!facts.sudo) {
    problem(`cannot run commands as root: ${facts.sudoError ?? 'sudo -n failed'}; allow passwordless sudo for ${host.ssh.user} (a sudoers.d NOPASSWD line) or run with --ask-become-pass`);
  }
  if (!facts.arch) problem(`unsupported architecture ${facts.machine || '(unknown)'}: ${unsupportedArchReason(facts.machine ?? '') ?? 'K3s runs on x86_64, aarch64 and armv7l'}`);
  if (!facts.memoryCgroup) {
    if (facts.piModel) {
      const cmdline = facts.cmdlinePath ?? '/boot/firmware/cmdline.txt';
      problem(`the memory cgroup is disabled (${facts.piModel}): add "cgroup_memory=1 cgroup_enable=memory" to the end of the single line in ${cmdline}, then reboot the Pi and run fleet again`);
    } else {
      problem('the memory cgroup is disabled: K3s cannot run; enable it on the kernel command line (cgroup_enable=memory) and reboot');
    }
  }
  if (facts.clockOffsetMs !== undefined) {
    const offset = Math.abs(facts.clockOffsetMs);
    const text = `clock is ${(facts.clockOffsetMs / 1000).toFixed(1)} s off this machine's`;
    if (role === 'server' && offset > CLOCK_REFUSE_SERVER_MS) problem(`${text}: etcd and certificates need synced clocks; enable NTP (timedatectl set-ntp true)`);
    else if (offset > CLOCK_WARN_MS) warn(`${text}; enable NTP (timedatectl set-ntp true)`);
  }
  if (facts.dataDirFreeBytes !== undefined && facts.dataDirFreeBytes < MIN_FREE_BYTES && !facts.k3s.installed) {
    warn(`only ${(facts.dataDirFreeBytes / 1024 ** 3).toFixed(1)} GiB free for /var/lib/rancher; K3s wants at least 2 GiB`);
  }
  if (host.kind === 'pi' && !facts.piModel) warn('inventory says kind: pi but the host is not a Raspberry Pi (no device-tree model)');
  if (host.kind === 'x86' && facts.piModel) warn(`inventory says kind: x86 but the host is a ${facts.piModel}`);
  if (host.kind === 'x86' && facts.arch && facts.arch !== 'amd64') warn(`inventory says kind: x86 but the host is ${facts.machine}`);
  if (facts.k3s.installed && facts.k3s.role && facts.k3s.role !== role) {
    problem(
      `K3s is installed here as ${facts.k3s.role === 'server' ? 'a server' : 'an agent'} but the plan makes it ${role === 'server' ? 'a server' : 'an agent'}; fleet does not change a node's role in place: uninstall K3s on it first (k3s-${facts.k3s.role === 'agent' ? 'agent-' : ''}uninstall.sh) or change its role in the inventory`,
    );
  }
  return result;
}
