// The built fleet CLI, run as a person runs it: a fresh node process per command.
import { fileURLToPath } from 'node:url';
import { timedRun, type TimedRun } from './timing.js';

export const FLEET_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export function fleet(args: readonly string[], timeoutMs = 300_000): Promise<TimedRun> {
  return timedRun(process.execPath, [FLEET_MAIN, ...args], { timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
}

/** fleet with --json (before any `--`); a non-JSON stdout (a crash) throws with its stderr. */
export async function fleetJson<T>(args: readonly string[], timeoutMs?: number): Promise<{ run: TimedRun; json: T }> {
  const run = await fleet([args[0]!, '--json', ...args.slice(1)], timeoutMs);
  try {
    return { run, json: JSON.parse(run.stdout) as T };
  } catch {
    throw new Error(`fleet ${args.join(' ')} exited ${run.code} without JSON:\n${run.stderr.slice(-2000)}`);
  }
}
