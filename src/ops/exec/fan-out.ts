// Run one command on many hosts through a bounded queue; never throws for a host's failure.
import PQueue from 'p-queue';
import type { ExecResult, Transport } from '../../ssh/transport.js';

export interface HostCommandResult {
  host: string;
  result?: ExecResult;
  error?: string;
}

export async function fanOut(
  hosts: string[],
  transportFor: (name: string) => Promise<Transport>,
  command: string,
  options: { concurrency: number; sudo?: boolean; timeoutMs?: number; signal?: AbortSignal; onResult?: (r: HostCommandResult) => void },
): Promise<HostCommandResult[]> {
  const queue = new PQueue({ concurrency: options.concurrency });
  const results = await Promise.all(
    hosts.map(
      (host) =>
        queue.add(async (): Promise<HostCommandResult> => {
          let outcome: HostCommandResult;
          try {
            const transport = await transportFor(host);
            outcome = { host, result: await transport.exec(command, { sudo: options.sudo, timeoutMs: options.timeoutMs, signal: options.signal }) };
          } catch (err) {
            outcome = { host, error: err instanceof Error ? err.message : String(err) };
          }
          options.onResult?.(outcome);
          return outcome;
        }) as Promise<HostCommandResult>,
    ),
  );
  return results;
}

export function succeeded(r: HostCommandResult): boolean {
  return r.result !== undefined && r.result.exitCode === 0 && !r.result.timedOut;
}
