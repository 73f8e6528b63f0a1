// The host's network interfaces: name, MAC, whether it is virtual, and its addresses. Cloned
// images can carry one MAC (a USB adapter's EEPROM, a MAC set in the image's config), and two
// hosts with one MAC fight over the switch's port and the DHCP lease.
import type { FactProbe } from './probe.js';

export interface NetInterface {
  name: string;
  mac: string;
  /** Under /sys/devices/virtual (bridges, veth, flannel, lo): its MAC is made up, not the hardware's. */
  virtual: boolean;
  /** IPv4 and IPv6 addresses without prefix length. */
  addresses: string[];
}

/** Lines `if <name> <mac> <virtual 0|1>` then `addr <name> <address/prefix>` from the probe. */
export function parseNetInterfaces(output: string): NetInterface[] {
  const byName = new Map<string, NetInterface>();
  for (const line of output.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'if' && words.length === 4) byName.set(words[1]!, { name: words[1]!, mac: words[2]!.toLowerCase(), virtual: words[3] === '1', addresses: [] });
    if (words[0] === 'addr' && words.length === 3) byName.get(words[1]!)?.addresses.push(words[2]!.split('/')[0]!);
  }
  return [...byName.values()];
}

export const netInterfacesProbe: FactProbe<NetInterface[]> = {
  name: 'net-interfaces',
  script: [
    'for i in /sys/class/net/*; do',
    '  [ -e "$i/address" ] || continue',
    '  n=${i##*/}',
    '  v=1; case "$(readlink -f "$i")" in /sys/devices/virtual/*) ;; *) v=0 ;; esac',
    '  echo "if $n $(cat "$i/address") $v"',
    'done',
    // `ip -o addr`: "2: eth0    inet 192.168.1.5/24 brd ..." (the name may carry @parent).
    'ip -o addr show 2>/dev/null | awk \'{ sub(/@.*/, "", $2); print "addr", $2, $4 }\'',
  ].join('\n'),
  parse: parseNetInterfaces,
};
