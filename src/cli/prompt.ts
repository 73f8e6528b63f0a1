// Ask for a secret on the terminal without echoing it. Refuses when there is no terminal, so a
// CI job never hangs waiting for input nobody can give.
import { createInterface } from 'node:readline';
import { InputError } from '../errors.js';

export function promptSecret(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) {
    return Promise.reject(new InputError(`${question.trim()} needs a terminal, and stdin is not one`, 'set the value through the environment instead (see docs/cli.md)'));
  }
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: true });
    const mutable = rl as unknown as { _writeToOutput: (text: string) => void };
    output.write(question);
    mutable._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      output.write('\n');
      resolve(answer);
    });
  });
}
