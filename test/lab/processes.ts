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

function readProcText(pid: number, file: 'cmdline' | 'environ'): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export function processMentions(pid: number, text: string): boolean {
  return readProcText(pid, 'cmdline').includes(text) || readProcText(pid, 'environ').includes(text);
}

/** PIDs whose command line or environment contains text (the lab marks its processes with DIR). */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && isAlive(pid) && processMentions(pid, text));
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
