// Anything destructive (remove-node, reset, snapshot restore) shows what it will do, then asks.
// `--yes` answers for scripts; without a terminal and without `--yes` it is refused (exit 2), so a
// CI job or a pipe never destroys anything by default and never hangs waiting for an answer.
import { createInterface } from 'node:readline';
import { InputError, SafetyError } from '../errors.js';

export interface DestructiveQuestion {
  /** What will happen, already shown to the user; named in the refusal without a terminal. */
  what: string;
  /** --yes was given. */
  yes: boolean;
  /** Ask the user to type this (the cluster name) rather than answer yes. */
  typeToConfirm?: string;
}

export interface ConfirmIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

export async function confirmDestructive(question: DestructiveQuestion, io: ConfirmIo = { input: process.stdin, output: process.stderr }): Promise<void> {
  if (question.yes) return;
  if (!io.input.isTTY) {
    throw new InputError(`${question.what} needs confirmation, and there is no terminal to ask`, 'run it on a terminal, or add --yes to confirm in a script');
  }
  const prompt = question.typeToConfirm !== undefined ? `Type the cluster name (${question.typeToConfirm}) to confirm: ` : `${question.what}: continue? [y/N] `;
  const answer = await new Promise<string>((resolve) => {
    const rl = createInterface({ input: io.input, output: io.output, terminal: true });
    rl.question(prompt, (text) => {
      rl.close();
      resolve(text.trim());
    });
  });
  const agreed = question.typeToConfirm !== undefined ? answer === question.typeToConfirm : /^y(es)?$/i.test(answer);
  if (!agreed)
    throw new SafetyError(`${question.what}: not confirmed, nothing was changed`, question.typeToConfirm !== undefined ? `type ${question.typeToConfirm} exactly to confirm` : 'answer y to confirm');
}
