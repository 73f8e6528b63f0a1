// Running a command and timing it from the outside: wall time as the person waiting sees it,
// with its peak memory and open descriptors sampled from /proc while it runs.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface TimedRun {
  /** Epoch ms just before the spawn, to place the run report's own timestamps on the same clock. */
  startedAtMs: number;
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** VmHWM of the process (its peak resident set), kB; 0 when it ended before the first sample. */
  peakRssKb: number;
  /** Most descriptors seen open at once. */
  maxFds: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Hard limit: the process is killed after it (the bench must stay bounded in time). */
  timeoutMs?: number;
  /** Sample period for /proc; default 20 ms. */
  sampleMs?: number;
}

function sample(pid: number): { hwmKb: number; fds: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return { hwmKb: hwm ? Number(hwm[1]) : 0, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return undefined; // it has just exited
  }
}

export function timedRun(command: string, args: readonly string[], options: RunOptions = {}): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const startedAtMs = Date.now();
    const started = performance.now();
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRssKb = 0;
    let maxFds = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end(options.input ?? '');
    const take = () => {
      const s = child.pid !== undefined ? sample(child.pid) : undefined;
      if (s) {
        peakRssKb = Math.max(peakRssKb, s.hwmKb);
        maxFds = Math.max(maxFds, s.fds);
      }
    };
    const sampler = setInterval(take, options.sampleMs ?? 20);
    const killer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (err) => {
      clearInterval(sampler);
      if (killer) clearTimeout(killer);
      reject(err);
    });
    // 'exit' fires before the streams close; one last sample is impossible by then, so the
    // sampler's last reading (at most sampleMs old) stands.
    child.on('close', (code) => {
      clearInterval(sampler);
      if (killer) clearTimeout(killer);
      resolve({ startedAtMs, wallMs: performance.now() - started, code, stdout, stderr, peakRssKb, maxFds });
    });
  });
}

/** Repeat `fn` n times, in order; the runs of different contenders are interleaved by the caller. */
export async function repeat<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

export const seconds = (ms: number): number => Math.round(ms / 100) / 10;
