import { expect } from 'chai';
import { gatherHostFacts, sudoRefusal } from '../../../src/facts/gather-host.js';
import type { ExecResult, Transport } from '../../../src/ssh/transport.js';
import { fixture } from '../../support/fact-fixtures.js';
import { LocalTransport, UnreachableTransport } from '../support/local-transport.js';

/** Answers every exec with `result`. */
class ScriptedTransport implements Transport {
  constructor(
    readonly host: string,
    private readonly result: Partial<ExecResult>,
  ) {}
  async exec(): Promise<ExecResult> {
    return { stdout: '', stderr: '', exitCode: 0, timedOut: false, durationMs: 0, ...this.result };
  }
  async writeFile(): Promise<void> {}
  async upload(): Promise<void> {}
  async close(): Promise<void> {}
}

describe('facts: gathering over a transport', function () {
  this.timeout(60_000);

  it('gathers this machine in one round trip, as root, through sh -s', async () => {
    const transport = new LocalTransport('this-machine');
    const facts = await gatherHostFacts(transport);
    expect(transport.calls).to.have.length(1);
    expect(transport.calls[0]!.command).to.equal('sh -s');
    expect(transport.calls[0]!.options.sudo).to.equal(true);
    expect(facts).to.deep.include({ host: 'this-machine', reachable: true, sudo: true, machine: 'x86_64', arch: 'amd64' });
    expect(facts.os.id).to.equal('debian');
    expect(facts.memTotalBytes).to.be.greaterThan(0);
    expect(facts.k3s.installed).to.equal(false);
    expect(facts.k3s.etcdData).to.equal(false);
    expect(facts.dataDirFreeBytes).to.be.greaterThan(0);
    expect(facts.clockOffsetMs).to.be.a('number');
    expect(Math.abs(facts.clockOffsetMs!)).to.be.lessThan(250);
  });

  it('returns the non-root facts with sudo:false when sudo wants a password', async () => {
    const transport = new LocalTransport('unprivileged', { runAs: 'nobody' });
    const facts = await gatherHostFacts(transport);
    expect(transport.calls.map((call) => call.options.sudo)).to.deep.equal([true, false]);
    expect(facts).to.deep.include({
      reachable: true,
      sudo: false,
      sudoError: fixture('sudo-password-required.stderr').trim(),
      arch: 'amd64',
    });
    expect(facts.memTotalBytes).to.be.greaterThan(0);
  });

  it('recognises sudo refusals only when the script never ran', () => {
    const refused = { stdout: '', stderr: fixture('sudo-password-required.stderr'), exitCode: 1, timedOut: false, durationMs: 5 };
    expect(sudoRefusal(refused)).to.equal('sudo: a password is required');
    expect(sudoRefusal({ ...refused, stderr: 'sh: 1: sudo: not found\n', exitCode: 127 })).to.equal('sh: 1: sudo: not found');
    expect(sudoRefusal({ ...refused, stdout: '@@fleet:begin clock-start@@\n' })).to.equal(undefined);
    expect(sudoRefusal({ ...refused, exitCode: 0 })).to.equal(undefined);
  });

  it('reports an unreachable host instead of throwing', async () => {
    const facts = await gatherHostFacts(new UnreachableTransport('gone', 'connect EHOSTUNREACH 192.0.2.7:22'));
    expect(facts).to.deep.include({ host: 'gone', reachable: false, error: 'connect EHOSTUNREACH 192.0.2.7:22' });
  });

  it('reports a timed-out script as unreachable', async () => {
    const facts = await gatherHostFacts(new ScriptedTransport('slow', { timedOut: true, exitCode: null }), { timeoutMs: 5 });
    expect(facts).to.deep.include({ reachable: false, error: 'facts script timed out after 5 ms' });
  });

  it('reports output without sections with the exit code and stderr', async () => {
    const facts = await gatherHostFacts(new ScriptedTransport('odd', { exitCode: 2, stderr: 'sh: 1: Syntax error\n' }));
    expect(facts.reachable).to.equal(false);
    expect(facts.error).to.match(/incomplete.*exit code 2: sh: 1: Syntax error$/);
  });
});
