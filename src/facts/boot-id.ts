// The kernel's boot id: a new one at every boot, so a reboot is proven by a different value.
import type { FactProbe } from './probe.js';

export function parseBootId(output: string): string | undefined {
  const id = output.trim();
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

export const bootIdProbe: FactProbe<string | undefined> = {
  name: 'boot-id',
  script: 'cat /proc/sys/kernel/random/boot_id 2>/dev/null',
  parse: parseBootId,
};
