// Free space on the filesystem that holds (or will hold) /var/lib/rancher: df of its nearest
// existing ancestor, since a directory K3s creates later lands on its parent's filesystem.
import type { FactProbe } from './probe.js';

/**
 * Available bytes from `df -P` output. The header names the block size ("1-blocks" for -B1,
 * "1024-blocks" for the -k fallback on a df without -B, e.g. busybox).
 */
export function parseDfAvailableBytes(output: string): number | undefined {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const header = /^Filesystem\s+(\d+)-blocks/.exec(lines[0] ?? '');
  const row = lines[1]?.trim().split(/\s+/);
  if (!header || !row || row.length < 6) return undefined;
  // -P rows: filesystem, blocks, used, available, capacity, mount point (filesystem has no spaces
  // in practice; count from the end to be safe about it).
  const available = Number(row[row.length - 3]);
  return Number.isFinite(available) ? available * Number(header[1]) : undefined;
}

export const dataDirFreeProbe: FactProbe<number | undefined> = {
  name: 'data-dir-free',
  script: ['d=/var/lib/rancher', 'while [ ! -d "$d" ]; do d=$(dirname "$d"); done', 'df -P -B1 "$d" 2>/dev/null || df -P -k "$d"'].join('\n'),
  parse: parseDfAvailableBytes,
};
