// Runs the facts script on one host: one SSH round trip (two when sudo is refused and the
// non-root facts are gathered again without it). Never throws for a host's failure: the record
// says reachable:false and why, so the planner can report every host at once. The whole fleet,
// bounded and with the disk gate, is src/facts/gather-fleet.ts.
import type { ExecResult, Transport } from '../ssh/transport.js';
import { factsScript } from './facts-script.js';
import { assembleHostFacts, unreachableHostFacts } from './host-facts.js';
import type { HostFacts } from './types.js';

export interface GatherOptions {
  /** Per host, for the whole script; k3s --version on a Pi is the slow part. Default 60 s. */
  timeoutMs?: number;
  /** Aborts hosts not yet finished. */
  signal?: AbortSignal;
  /** This machine's clock, for the clock offset (tests pin it). Default Date.now. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** sudo -n refusing (password required, not in sudoers, no sudo at all): the script never ran. */
export function sudoRefusal(result: ExecResult): string | undefined {
  if (result.exitCode === 0 || result.stdout.includes('@@fleet:begin ')) return undefined;
  const line = result.stderr.split('\n').find((l) => /(^|\s)sudo:/.test(l));
  return line?.trim();
}

/** Facts of the host `transport` reaches. Resolves for every outcome; never rejects. */
export async function gatherHostFacts(transport: Transport, options: GatherOptions = {}): Promise<HostFacts> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const script = factsScript();
  const run = async (sudo: boolean) => {
    const sentMs = now();
    const result = await transport.exec('sh -s', { stdin: script, sudo, timeoutMs, signal: options.signal });
    return { result, sentMs, receivedMs: now() };
  };
  try {
    let attempt = await run(true);
    const sudoError = sudoRefusal(attempt.result);
    if (sudoError !== undefined) attempt = await run(false);
    const { result, sentMs, receivedMs } = attempt;
    if (result.timedOut) {
      return unreachableHostFacts(transport.host, `facts script timed out after ${timeoutMs} ms`);
    }
    const facts = assembleHostFacts({ host: transport.host, stdout: result.stdout, sentMs, receivedMs, sudoError });
    if (transport.hostKeyFingerprint) facts.hostKeyFingerprint = transport.hostKeyFingerprint;
    if (!facts.reachable) facts.error += `; exit code ${result.exitCode ?? 'none'}${stderrTail(result.stderr)}`;
    return facts;
  } catch (err) {
    return unreachableHostFacts(transport.host, err instanceof Error ? err.message : String(err));
  }
}

function stderrTail(stderr: string): string {
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  return tail ? `: ${tail}` : '';
}
