// docs/cli.md against the code: the exit codes it documents are the ones src/errors.ts has, and
// its table of option values lists every option of every command with the code's ranges,
// choices and defaults. A new option or exit code fails here until it is documented.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { DEFAULTS } from '../../src/inventory/resolve.js';
import { listCommandOptions } from '../../src/cli/main.js';
import { EXEC_TIMEOUT } from '../../src/cli/commands/exec.js';
import { CONCURRENCY, logLevelOf } from '../../src/cli/global-options.js';
import { CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT_S, sshOptions } from '../../src/cli/ssh-options.js';
import { ROOT, runCli } from './run-cli.js';

const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, `docs/cli.md has a "## ${title}" section`).to.be.above(-1);
  const end = doc.indexOf('\n## ', start + 4);
  return doc.slice(start, end === -1 ? undefined : end);
}

interface Row {
  flags: string[];
  commands: string[];
  value: string;
  default: string;
}

function optionRows(): Row[] {
  return [...section('Option values').matchAll(/^\| (`-[^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({
    flags: [...m[1]!.matchAll(/`(-{1,2}[\w-]+)`/g)].map((f) => f[1]!),
    commands: m[2]!.trim().split(/,\s*/),
    value: m[3]!.trim(),
    default: m[4]!.trim(),
  }));
}

const longName = (row: Row) => row.flags.find((flag) => flag.startsWith('--'))!.slice(2);

describe('cli: docs/cli.md agrees with the code', function () {
  this.timeout(60_000);
  const commands = listCommandOptions();
  const global = new Set(commands.find((c) => c.name === 'plan')!.options.filter((o) => commands.every((c) => c.options.includes(o))));

  it('documents exactly the exit codes the code uses', () => {
    const documented = [...section('Exit codes').matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented.sort((a, b) => a - b)).to.deep.equal(Object.values(ExitCode).sort((a, b) => a - b));
    // The --help epilogue names the same codes.
    const help = runCli(['--help']).stdout;
    for (const code of Object.values(ExitCode)) expect(help).to.match(new RegExp(`\\b${code} [a-z]`));
  });

  it('lists every option of every command, for exactly the commands that have it', () => {
    const fromDocs = new Map<string, Set<string>>();
    for (const row of optionRows()) {
      const names = row.commands[0] === 'all' ? ['all'] : row.commands;
      const set = fromDocs.get(longName(row)) ?? new Set<string>();
      names.forEach((name) => set.add(name));
      fromDocs.set(longName(row), set);
    }
    const fromCode = new Map<string, Set<string>>();
    for (const command of commands) {
      for (const option of command.options) {
        if (option === 'help' || option === 'version') continue;
        const set = fromCode.get(option) ?? new Set<string>();
        set.add(global.has(option) ? 'all' : command.name);
        fromCode.set(option, set);
      }
    }
    const sorted = (map: Map<string, Set<string>>) => Object.fromEntries([...map].map(([k, v]) => [k, [...v].sort()]).sort());
    expect(sorted(fromDocs)).to.deep.equal(sorted(fromCode));
  });

  it('gives each option the aliases, choices, ranges and defaults the code has', async () => {
    for (const row of optionRows()) {
      const name = longName(row);
      const command = commands.find((c) => c.options.includes(name) && (row.commands[0] === 'all' || row.commands.includes(c.name)))!;
      const aliases = row.flags.filter((flag) => !flag.startsWith('--')).map((flag) => flag.slice(1));
      expect(aliases, `aliases of --${name}`).to.deep.equal(command.aliases[name] ?? []);
      const choices = command.choices[name];
      if (choices)
        expect(
          [...row.value.matchAll(/`([\w-]+)`/g)].map((m) => m[1]),
          `choices of --${name} (${command.name})`,
        ).to.deep.equal([...choices]);
      // A switch is off by default, or on (then documented as such, and turned off with --no-NAME).
      if (command.booleans.includes(name))
        expect([row.value, row.default], `--${name} is a switch`).to.deep.equal(['—', command.defaults[name] === true ? 'on (`--no-' + name + '` turns it off)' : 'off']);
    }
    const row = (name: string) => optionRows().find((r) => longName(r) === name)!;
    expect(row('concurrency').value).to.equal(`whole number ${CONCURRENCY.min}–${CONCURRENCY.max}`);
    expect(row('concurrency').default).to.equal(`\`cluster.concurrency\`, else ${DEFAULTS.concurrency}`);
    expect(row('connect-timeout').value).to.equal(`seconds ${CONNECT_TIMEOUT.min}–${CONNECT_TIMEOUT.max}`);
    expect(row('connect-timeout').default).to.match(new RegExp(`^${DEFAULT_CONNECT_TIMEOUT_S} `));
    expect((await sshOptions({ acceptNewHostKeys: false, askBecomePass: false })).connectTimeoutMs).to.equal(DEFAULT_CONNECT_TIMEOUT_S * 1000);
    expect(row('timeout').value).to.equal(`seconds ${EXEC_TIMEOUT.min}–${EXEC_TIMEOUT.max}`);
    expect(row('log-level').default).to.match(new RegExp(`^${logLevelOf({ json: false, quiet: false, verbose: false })} `));
    expect(row('log-level').default).to.include(`debug with \`--verbose\``).and.include(`error with \`--quiet\``);
    expect(logLevelOf({ json: false, quiet: false, verbose: true })).to.equal('debug');
    expect(logLevelOf({ json: false, quiet: true, verbose: false })).to.equal('error');
  });

  it('--help states the same defaults and ranges', () => {
    const help = runCli(['up', '--help']).stdout;
    const flat = help.replace(/\s+/g, ' ');
    expect(flat).to.include(`${CONNECT_TIMEOUT.min}-${CONNECT_TIMEOUT.max} (default ${DEFAULT_CONNECT_TIMEOUT_S};`);
    expect(flat).to.include(`${CONCURRENCY.min}-${CONCURRENCY.max} (default: cluster.concurrency, else ${DEFAULTS.concurrency})`);
    expect(flat).to.include('(default warn; debug with --verbose, error with --quiet)');
  });
});
