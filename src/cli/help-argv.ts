// `fleet help <command>` is `fleet <command> --help`, as in git, kubectl and npm.
import { closest } from '../inventory/did-you-mean.js';
import { UsageError } from './options/usage-error.js';

export function rewriteHelp(argv: readonly string[], commands: readonly string[]): string[] {
  const at = argv.findIndex((word) => !word.startsWith('-'));
  if (at === -1 || argv[at] !== 'help') return [...argv];
  const rest = argv.slice(at + 1).filter((word) => !word.startsWith('-'));
  const options = argv.filter((word, i) => i !== at && word.startsWith('-'));
  const topic = rest[0];
  if (topic === undefined) return [...options, '--help'];
  if (!commands.includes(topic)) {
    const near = closest(topic, commands);
    throw new UsageError(`fleet has no command ${JSON.stringify(topic)}`, `${near ? `did you mean fleet help ${near}? ` : ''}commands: ${commands.join(', ')}`);
  }
  return [topic, ...options, '--help'];
}
