// `--help` of fleet and of every command: each option's flags (name and aliases) listed once.
// Shared options applied twice used to show as `-q, -q, --quiet`.
import { expect } from 'chai';
import { runCli } from './run-cli.js';

/** The commands `fleet --help` lists, e.g. `plan`, `add-node`. */
function commandsOf(help: string): string[] {
  return [...help.matchAll(/^ {2}fleet ([a-z][a-z-]*) /gm)].map((match) => match[1]!);
}

/** The flags of each option line of a help text, e.g. ['-q', '--quiet']. */
function optionFlags(help: string): string[][] {
  return [...help.matchAll(/^ +(-{1,2}[\w-]+(?:, -{1,2}[\w-]+)*)(?: {2,}|$)/gm)].map((match) => match[1]!.split(', '));
}

/** Flags listed more than once in one help text. */
function repeatedFlags(help: string): string[] {
  const all = optionFlags(help).flat();
  return [...new Set(all.filter((flag, i) => all.indexOf(flag) !== i))];
}

describe('cli: --help lists every option alias once', function () {
  // Starts node once per command (a dozen), on a machine that may be shared.
  this.timeout(180_000);

  it('finds flags repeated on one line or across lines (the check itself)', () => {
    expect(repeatedFlags('Options:\n  -q, -q, --quiet   Print only\n      --json        JSON\n')).to.deep.equal(['-q']);
    expect(repeatedFlags('Options:\n  -y, --yes   a\n  -y, --yolo  b\n')).to.deep.equal(['-y']);
    expect(repeatedFlags('Options:\n  -q, --quiet   Print only\n  -v, --verbose  Log\n')).to.deep.equal([]);
  });

  it('for fleet and for every command it lists', () => {
    const top = runCli(['--help']);
    expect(top.status).to.equal(0);
    const commands = commandsOf(top.stdout);
    expect(commands).to.include.members(['plan', 'up', 'add-node', 'status', 'kubeconfig', 'exec', 'unlock']);
    const repeated: Record<string, string[]> = {};
    for (const args of [['--help'], ...commands.map((command) => [command, '--help'])]) {
      const help = runCli(args);
      expect(help.status, `fleet ${args.join(' ')}: ${help.stderr}`).to.equal(0);
      // The parse must see the shared options, or an empty list would pass vacuously.
      expect(optionFlags(help.stdout).flat(), `fleet ${args.join(' ')}`).to.include.members(['-q', '--quiet', '-v', '--verbose', '-h', '--help']);
      const flags = repeatedFlags(help.stdout);
      if (flags.length > 0) repeated[args.join(' ')] = flags;
    }
    expect(repeated).to.deep.equal({});
  });
});
