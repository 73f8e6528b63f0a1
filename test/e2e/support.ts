// Drive the built fleet CLI as a user would, and watch every process's argv on this machine
// while it runs (the lab's hosts share this kernel, so their processes are visible here too).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fleetBin = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

export interface FleetRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every distinct command line seen on this machine while fleet ran. */
  argvSeen: Set<string>;
  durationMs: number;
}

function snapshotArgv(into: Set<string>): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(join('/proc', entry, 'cmdline'), 'utf8')
        .split('\0')
        .join(' ')
        .trim();
      if (argv) into.add(argv);
    } catch {
      // The process ended between readdir and read.
    }
  }
}

export function runFleet(args: string[], options: { env?: NodeJS.ProcessEnv; watchArgv?: boolean; timeoutMs?: number } = {}): Promise<FleetRun> {
  const started = Date.now();
  const argvSeen = new Set<string>();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fleetBin, ...args], { env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const watcher = options.watchArgv ? setInterval(() => snapshotArgv(argvSeen), 50) : undefined;
    const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      if (watcher) clearInterval(watcher);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, argvSeen, durationMs: Date.now() - started });
    });
  });
}

/** `fleet up --json`'s report; fails the test with fleet's stderr when stdout is not JSON. */
export function parseReport(run: FleetRun): {
  exitCode: number;
  changed: boolean;
  hosts: Array<{ name: string; role: string; outcome: string; error?: string; diskP99Ms?: number }>;
  notStarted: string[];
  kubeconfig?: string;
  connections?: number;
  log?: string;
} {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`fleet printed no JSON report (exit ${run.code})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}
