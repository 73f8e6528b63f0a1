// The Raspberry Pi's kernel command line (cmdline.txt): one line of space-separated parameters.
// K3s needs the memory cgroup, which Raspberry Pi OS leaves off: cgroup_memory=1
// cgroup_enable=memory are appended when missing, nothing else is touched.
export const MEMORY_CGROUP_PARAMS: readonly string[] = ['cgroup_memory=1', 'cgroup_enable=memory'];

/** The parameters of MEMORY_CGROUP_PARAMS the first line lacks. */
export function missingCgroupParams(text: string): string[] {
  const words = new Set((text.split('\n')[0] ?? '').trim().split(/\s+/));
  return MEMORY_CGROUP_PARAMS.filter((param) => !words.has(param));
}

/** The file with the missing parameters appended to its first line (the rest kept as is). */
export function withCgroupParams(text: string): string {
  const missing = missingCgroupParams(text);
  if (missing.length === 0) return text;
  const [first = '', ...rest] = text.split('\n');
  return [`${first.trimEnd()} ${missing.join(' ')}`.trimStart(), ...rest].join('\n');
}
