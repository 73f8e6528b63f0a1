// Which kernel command line file the Pi boots from: where cgroup_memory=1 cgroup_enable=memory goes.
import type { FactProbe } from './probe.js';

/** The first existing path the snippet printed, or undefined (not a Pi, or neither file exists). */
export function parsePiCmdlinePath(output: string): string | undefined {
  const path = output.split('\n')[0]!.trim();
  return path === '' ? undefined : path;
}

export const piCmdlineProbe: FactProbe<string | undefined> = {
  name: 'pi-cmdline',
  // Bookworm keeps a stub /boot/cmdline.txt that points to /boot/firmware: check firmware first.
  script: ['for f in /boot/firmware/cmdline.txt /boot/cmdline.txt; do', '  if [ -f "$f" ]; then echo "$f"; break; fi', 'done'].join('\n'),
  parse: parsePiCmdlinePath,
};
