import { expect } from 'chai';
import { gatherFacts, gatherHostFacts, sudoRefusal } from '../../../src/facts/gather.js';
import type { ExecResult, Transport } from '../../../src/ssh/transport.js';
import { fixture } from './support/fixtures.js';
import { LocalTransport, UnreachableTransport } from './support/local-transport.js';

/** Answers every exec after `delayMs` with `result`, counting how many run at once. */
class ScriptedTransport implements Transport {
  static inFlight = 0;
  static maxInFlight = 0;
  constructor(
    readonly host: string,
    private readonly result: Partial<ExecResult>,
    private readonly delayMs = 0,
  ) {}
  async exec(): Promise<ExecResult> {
    ScriptedTransport.inFlight++;
    ScriptedTransport.maxInFlight = Math.max(ScriptedTransport.maxInFlight, ScriptedTransport.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    ScriptedTransport.inFlight--;
    return { stdout: '', stderr: '', exitCode: 0, timedOut: false, durationMs: this.delayMs, ...this.result };
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

  it('gathers a fleet keyed by inventory name, bounded by concurrency', async () => {
    ScriptedTransport.maxInFlight = 0;
    const transports = new Map<string, Transport>([
      ['local', new LocalTransport('local')],
      ['gone', new UnreachableTransport('gone')],
      ...[1, 2, 3, 4, 5].map((i): [string, Transport] => [`s${i}`, new ScriptedTransport(`s${i}`, {}, 30)]),
    ]);
    const fleet = await gatherFacts(transports, { concurrency: 2 });
    expect([...fleet.keys()]).to.deep.equal(['local', 'gone', 's1', 's2', 's3', 's4', 's5']);
    expect(fleet.get('local')!.reachable).to.equal(true);
    expect(fleet.get('gone')!.reachable).to.equal(false);
    expect(fleet.get('s3')!.host).to.equal('s3');
    expect(ScriptedTransport.maxInFlight).to.be.within(1, 2);
  });
});
