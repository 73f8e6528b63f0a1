// Whether the kernel's memory cgroup controller is on: K3s will not start without it, and
// Raspberry Pi kernels leave it off unless cmdline.txt says cgroup_memory=1 cgroup_enable=memory.
import type { FactProbe } from './probe.js';

/** The `enabled` column of the `memory` row of /proc/cgroups (cgroup v1 table). */
export function memoryEnabledInProcCgroups(procCgroups: string): boolean | undefined {
  for (const line of procCgroups.split('\n')) {
    const columns = line.trim().split(/\s+/);
    // subsys_name hierarchy num_cgroups enabled
    if (columns[0] === 'memory' && columns.length >= 4) return columns[3] === '1';
  }
  return undefined;
}

/** Whether /sys/fs/cgroup/cgroup.controllers (cgroup v2 root) lists `memory`. */
export function memoryInCgroupControllers(controllers: string): boolean {
  return controllers.trim().split(/\s+/).includes('memory');
}

const V2_PREFIX = 'cgroup2:';

/**
 * On a cgroup v2 host the root's controller list decides; otherwise the v1 table does.
 * Neither present (an unusual kernel) counts as disabled.
 */
export function parseMemoryCgroup(output: string): boolean {
  const lines = output.split('\n');
  const v2 = lines.find((line) => line.startsWith(V2_PREFIX));
  if (v2 !== undefined) return memoryInCgroupControllers(v2.slice(V2_PREFIX.length));
  return memoryEnabledInProcCgroups(lines.join('\n')) ?? false;
}

export const memoryCgroupProbe: FactProbe<boolean> = {
  name: 'memory-cgroup',
  script: ['if [ -r /sys/fs/cgroup/cgroup.controllers ]; then', `  printf '${V2_PREFIX}%s\\n' "$(cat /sys/fs/cgroup/cgroup.controllers)"`, 'fi', 'cat /proc/cgroups 2>/dev/null'].join('\n'),
  parse: parseMemoryCgroup,
};
