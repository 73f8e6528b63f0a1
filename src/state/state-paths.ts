// Where fleet keeps local state for a cluster: `.fleet/<cluster>/` beside the inventory.
import { join } from 'node:path';
import type { Inventory } from '../inventory/types.js';

export interface StatePaths {
  dir: string;
  token: string;
  kubeconfig: string;
  lock: string;
  logs: string;
}

export function statePaths(inventory: Pick<Inventory, 'dir' | 'cluster'>): StatePaths {
  const dir = join(inventory.dir, '.fleet', inventory.cluster.name);
  return {
    dir,
    token: join(dir, 'token'),
    kubeconfig: join(dir, 'kubeconfig'),
    lock: join(dir, 'lock'),
    logs: join(dir, 'logs'),
  };
}
