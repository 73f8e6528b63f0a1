// Finding, killing and waiting for the lab's processes and mounts, by PID and by path.
import { readdirSync, readFileSync } from 'node:fs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Alive means it exists and is not a zombie waiting for its parent. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function environmentOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    return [];
  }
}

/** The environment variable every process started for a lab host carries (init, unshare, sshd). */
const hostMarker = (hostDir: string): string => `LAB_HOST_DIR=${hostDir}`;

/** Whether pid was started for the lab host whose directory is hostDir. */
export function isProcessOfHost(pid: number, hostDir: string): boolean {
  return environmentOf(pid).includes(hostMarker(hostDir));
}

/** PIDs started for any host of the lab in labDir: marked in their environment, never guessed by name. */
export function processesOfLab(labDir: string): number[] {
  const prefix = hostMarker(`${labDir}/hosts/`);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && isAlive(pid) && environmentOf(pid).some((item) => item.startsWith(prefix)));
}

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`lab: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export async function killAndWait(pids: number[], timeoutMs = 15000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitUntil(() => pids.every((pid) => !isAlive(pid)), timeoutMs, `processes ${pids.join(', ')} to die`);
}

/** Mount points at or below path, as this process's mount namespace sees them. */
export function mountsUnder(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => mountPoint !== undefined && (mountPoint === path || mountPoint.startsWith(`${path}/`)));
}
