// Inventory paths: `~/` is the home directory, relative paths are relative to the inventory file.
import { isAbsolute, join, resolve } from 'node:path';

export function resolveLocalPath(path: string, inventoryDir: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(inventoryDir, path);
}
