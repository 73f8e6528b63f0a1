// The host's hostname: what K3s would name its node without node-name. Fresh Raspberry Pi OS
// images are all called raspberrypi, so fleet reports duplicates and names nodes itself.
import type { FactProbe } from './probe.js';

export function parseHostname(output: string): string | undefined {
  const name = output.split('\n')[0]!.trim();
  return name === '' ? undefined : name;
}

export const hostnameProbe: FactProbe<string | undefined> = {
  name: 'hostname',
  // `hostname` is missing from some minimal images; the kernel's answer is the same.
  script: 'cat /proc/sys/kernel/hostname 2>/dev/null || hostname',
  parse: parseHostname,
};
