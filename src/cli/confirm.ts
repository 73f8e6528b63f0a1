// A yes/no question on the terminal. Without a terminal there is nobody to ask: callers get
// undefined and must refuse (or take --yes).
import { createInterface } from 'node:readline';

export function terminalConfirm(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): ((question: string) => Promise<boolean>) | undefined {
  if (!input.isTTY) return undefined;
  return (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input, output, terminal: true });
      rl.question(question, (answer) => {
        rl.close();
        resolve(/^y(es)?$/i.test(answer.trim()));
      });
    });
}
