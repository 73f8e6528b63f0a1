import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { announceSessionPid, StderrWithSessionPid } from '../../../src/ssh/session-pid.js';

describe('session pid announcement', function () {
  it('takes the pid line off stderr even when it arrives in pieces', function () {
    const stderr = new StderrWithSessionPid(true);
    for (const piece of ['fleet-sess', 'ion-pid:42', '31\nwarn', 'ing\n']) stderr.push(Buffer.from(piece));
    expect(stderr.pid).to.equal(4231);
    expect(stderr.text()).to.equal('warning\n');
  });

  it('keeps stderr untouched when no announcement was asked for', function () {
    const stderr = new StderrWithSessionPid(false);
    stderr.push(Buffer.from('fleet-session-pid:1\n'));
    expect(stderr.pid).to.equal(undefined);
    expect(stderr.text()).to.equal('fleet-session-pid:1\n');
  });

  it('keeps a first line that is not an announcement', function () {
    const stderr = new StderrWithSessionPid(true);
    stderr.push(Buffer.from('oops\nmore'));
    expect(stderr.pid).to.equal(undefined);
    expect(stderr.text()).to.equal('oops\nmore');
  });

  it('announces the pid of the shell that runs the command', function () {
    const run = spawnSync('/bin/sh', ['-c', announceSessionPid('echo "$$"; echo done >&2')]);
    const stderr = new StderrWithSessionPid(true);
    stderr.push(run.stderr);
    expect(stderr.pid).to.be.a('number');
    expect(`${stderr.pid}\n`).to.equal(run.stdout.toString());
    expect(stderr.text()).to.equal('done\n');
  });
});
