// `fleet completion` and `fleet help <command>`: the scripts complete commands, each command's
// own options and the values of fixed-choice options in a real bash; zsh's script parses.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

/** What the bash script offers for the words typed so far (the last one being completed). */
function bashCompletes(script: string, words: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-completion-'));
  try {
    writeFileSync(join(dir, 'fleet.bash'), script);
    const quoted = words.map((word) => `'${word}'`).join(' ');
    const program = `source ${join(dir, 'fleet.bash')}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _fleet_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const result = spawnSync('bash', ['--norc', '-c', program], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).to.equal(0);
    return result.stdout.split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('cli: fleet completion and fleet help <command>', function () {
  this.timeout(60_000);
  let bash: string;
  before(() => {
    const result = runCli(['completion', 'bash']);
    expect(result.status, result.stderr).to.equal(0);
    bash = result.stdout;
  });

  it("bash: completes commands, each command's options and fixed choices", () => {
    expect(bashCompletes(bash, ['fleet', 'p'])).to.deep.equal(['plan', 'prepare']);
    expect(bashCompletes(bash, ['fleet', 'pl'])).to.deep.equal(['plan']);
    expect(bashCompletes(bash, ['fleet', ''])).to.include.members([
      'plan',
      'prepare',
      'up',
      'add-node',
      'remove-node',
      'reset',
      'upgrade',
      'snapshot',
      'status',
      'exec',
      'unlock',
      'schema',
      'completion',
      'help',
    ]);
    expect(bashCompletes(bash, ['fleet', 'plan', 'inv.yaml', '--dr'])).to.deep.equal(['--dry-run']);
    expect(bashCompletes(bash, ['fleet', 'up', 'inv.yaml', '--dr']), 'up has no --dry-run').to.deep.equal([]);
    expect(bashCompletes(bash, ['fleet', 'exec', 'inv.yaml', '--role', ''])).to.deep.equal(['server', 'agent']);
    expect(bashCompletes(bash, ['fleet', 'add-node', 'inv.yaml', '--role', 'a'])).to.deep.equal(['agent', 'auto']);
    expect(bashCompletes(bash, ['fleet', 'status', 'inv.yaml', '--con'])).to.deep.equal(['--concurrency', '--connect-timeout']);
    expect(bashCompletes(bash, ['fleet', 'help', 'ad'])).to.deep.equal(['add-node']);
  });

  it('zsh: a script that defines _fleet and parses (zsh -n when zsh is installed)', () => {
    const zsh = runCli(['completion', 'zsh']);
    expect(zsh.status, zsh.stderr).to.equal(0);
    expect(zsh.stdout).to.match(/^#compdef fleet/);
    expect(zsh.stdout).to.include('compdef _fleet fleet');
    expect(zsh.stdout).to.match(/plan\)\n\s+flags=\([^)]*--dry-run/);
    const check = spawnSync('zsh', ['-n'], { input: zsh.stdout, encoding: 'utf8' });
    if (check.error === undefined) expect(check.status, check.stderr).to.equal(0);
    // Without zsh, the same text must at least not be a bash script.
    else expect(zsh.stdout).not.to.include('complete -F');
  });

  it('the shell comes from $SHELL when not named', () => {
    expect(runCli(['completion'], { SHELL: '/usr/bin/zsh' }).stdout).to.match(/^#compdef fleet/);
    expect(runCli(['completion'], { SHELL: '/bin/bash' }).stdout).to.match(/^# bash completion/);
  });

  it('fleet help <command> is fleet <command> --help; fleet help is fleet --help', () => {
    for (const command of ['plan', 'add-node', 'exec']) {
      const viaHelp = runCli(['help', command]);
      expect(viaHelp.status, viaHelp.stderr).to.equal(0);
      expect(viaHelp.stdout).to.equal(runCli([command, '--help']).stdout);
    }
    expect(runCli(['help']).stdout).to.equal(runCli(['--help']).stdout);
  });
});
