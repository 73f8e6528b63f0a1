// The host's /etc/machine-id. systemd derives the MACs of virtual interfaces (bridges, flannel's
// VXLAN) and DHCP client ids from it, so two hosts from one cloned SD-card image collide.
import type { FactProbe } from './probe.js';

/** 32 lower-case hex digits, or undefined (missing, empty "uninitialized", or not an id). */
export function parseMachineId(output: string): string | undefined {
  const id = output.split('\n')[0]!.trim().toLowerCase();
  return /^[0-9a-f]{32}$/.test(id) ? id : undefined;
}

export const machineIdProbe: FactProbe<string | undefined> = {
  name: 'machine-id',
  // Older images keep it only in dbus's copy.
  script: 'cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id 2>/dev/null',
  parse: parseMachineId,
};
