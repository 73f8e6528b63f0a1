// `k3s etcd-snapshot ls` on a server: K3s's table (Name, Location, Size, Created), parsed.
export interface ServerSnapshot {
  name: string;
  location: string;
  size: number;
  createdAt: string;
}

export function parseSnapshotTable(stdout: string): ServerSnapshot[] {
  const lines = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const header = lines.findIndex((line) => /^Name\s+Location\s+Size\s+Created$/.test(line));
  if (header < 0) return [];
  return lines.slice(header + 1).flatMap((line) => {
    const [name, location, size, createdAt] = line.split(/\s+/);
    if (!name || !location || !size || !createdAt || !/^\d+$/.test(size)) return [];
    return [{ name, location, size: Number(size), createdAt }];
  });
}
