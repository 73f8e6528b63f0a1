// Inodes on the filesystem that holds (or will hold) /var/lib/rancher: containerd's image layers
// are many small files, and a filesystem out of inodes refuses writes with space left.
import type { FactProbe } from './probe.js';

export interface InodeCount {
  total: number;
  free: number;
}

/** `df -P -i` output: filesystem, inodes, used, free, use%, mount point. Filesystems without fixed inodes (btrfs) print 0. */
export function parseDfInodes(output: string): InodeCount | undefined {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  if (!/^Filesystem\s+Inodes/.test(lines[0] ?? '')) return undefined;
  const row = lines[1]?.trim().split(/\s+/);
  if (!row || row.length < 6) return undefined;
  const total = Number(row[row.length - 5]);
  const free = Number(row[row.length - 3]);
  return Number.isFinite(total) && Number.isFinite(free) ? { total, free } : undefined;
}

export const dataDirInodesProbe: FactProbe<InodeCount | undefined> = {
  name: 'data-dir-inodes',
  script: ['d=/var/lib/rancher', 'while [ ! -d "$d" ]; do d=$(dirname "$d"); done', 'df -P -i "$d"'].join('\n'),
  parse: parseDfInodes,
};
