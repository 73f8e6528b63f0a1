// Everything fleet streams to hosts with `sh -s` is POSIX sh and shellcheck-clean: the playbooks
// as committed, and the scripts as composed (facts probes, disk probe with its python embedded).
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskProbeScript } from '../../../src/facts/disk-probe.js';
import { factsScript } from '../../../src/facts/facts-script.js';
import { repoRoot } from '../../support/repo-paths.js';

function shellcheck(files: string[]): { status: number | null; output: string } {
  const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', ...files], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('shellcheck', function () {
  this.timeout(60_000);

  it('is installed (scripts/setup.sh installs it)', () => {
    expect(execFileSync('shellcheck', ['--version'], { encoding: 'utf8' })).to.include('ShellCheck');
  });

  it('passes playbooks/*.sh', () => {
    const dir = join(repoRoot, 'playbooks');
    const scripts = readdirSync(dir)
      .filter((name) => name.endsWith('.sh'))
      .map((name) => join(dir, name));
    expect(scripts).to.include(join(dir, 'disk-probe.sh'));
    const { status, output } = shellcheck(scripts);
    expect(output).to.equal('');
    expect(status).to.equal(0);
  });

  it('passes the composed facts script and disk probe script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
    try {
      const facts = join(dir, 'facts.sh');
      const disk = join(dir, 'disk-probe.sh');
      writeFileSync(facts, factsScript());
      writeFileSync(disk, diskProbeScript());
      const { status, output } = shellcheck([facts, disk]);
      expect(output).to.equal('');
      expect(status).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('catches a problem when there is one (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
    try {
      writeFileSync(join(dir, 'bad.sh'), '#!/bin/sh\nrm -rf $1/\n');
      expect(shellcheck([join(dir, 'bad.sh')]).status).to.not.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
