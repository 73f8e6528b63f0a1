// The checked remote exec: a command that exits non-zero (or times out) becomes the typed
// CommandError (exit 1, "a host failed"), never a bare Error reaching "this is a bug in fleet".
import { CommandError } from '../errors.js';
import type { ExecOptions, ExecResult, Transport } from './transport.js';

/** The last lines of a command's output, for an error message. */
export function outputTail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs `command` on the host; `what` names it in the error ("delete node h2"). */
export async function execChecked(transport: Transport, what: string, command: string, options: ExecOptions = {}): Promise<ExecResult> {
  const result = await transport.exec(command, options);
  if (result.timedOut)
    throw new CommandError(transport.host, what, null, outputTail(result.stderr || result.stdout), `${transport.host}: ${what} timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s`);
  if (result.exitCode !== 0) throw new CommandError(transport.host, what, result.exitCode, outputTail(result.stderr || result.stdout));
  return result;
}
