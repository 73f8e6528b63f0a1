import { expect } from 'chai';
import { SafetyError } from '../../../../src/errors.js';
import { checkRegistrationAddress, describeCurlFailure } from '../../../../src/ops/up/check-registration-address.js';
import type { ExecOptions, ExecResult, Transport } from '../../../../src/ssh/transport.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function fake(host: string, answer: (command: string, options?: ExecOptions) => Partial<ExecResult>): Transport & { scripts: string[] } {
  const scripts: string[] = [];
  return {
    host,
    scripts,
    async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
      if (typeof options?.stdin === 'string') scripts.push(options.stdin);
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, durationMs: 1, ...answer(command, options) };
    },
  } as unknown as Transport & { scripts: string[] };
}

describe('steps/check-registration-address (fake transports)', () => {
  const server = fake('s-1', () => ({ stdout: CA }));

  it('passes when /ping says pong through curl verifying the cluster CA and the name', async () => {
    const agent = fake('a-1', () => ({ stdout: 'pong' }));
    expect(await checkRegistrationAddress({ address: '10.0.0.50', server, from: agent })).to.deep.equal({ checked: true });
    expect(agent.scripts[0]).to.include(CA.trim()).and.include('--cacert "$ca" \'https://10.0.0.50:6443/ping\'');
  });

  it('retries until the wait is over, then refuses with exit 3 and the reason, from the agent', async () => {
    let attempts = 0;
    const agent = fake('a-1', () => {
      attempts++;
      return { exitCode: 7, stderr: 'curl: (7) Failed to connect to 10.0.0.50 port 6443: Connection refused' };
    });
    const err = await checkRegistrationAddress({ address: '10.0.0.50', server, from: agent, waitMs: 0, sleep: async () => undefined }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(SafetyError);
    expect((err as SafetyError).message).to.equal(
      "the registration address 10.0.0.50 does not answer as this cluster's API, seen from a-1: nothing accepts connections on port 6443 there (curl: (7) Failed to connect to 10.0.0.50 port 6443: Connection refused); no agent was changed",
    );
    expect((err as SafetyError).hint).to.include('cluster.vip');
    expect(attempts).to.equal(1);
  });

  it('skips the check with a reason when the agent has no curl', async () => {
    const agent = fake('a-1', () => ({ exitCode: 127 }));
    expect(await checkRegistrationAddress({ address: 'k3s.lan', server, from: agent })).to.deep.equal({ checked: false, why: 'curl is not installed on a-1' });
  });

  it('names certificate and name problems in words', () => {
    expect(describeCurlFailure(60, '', 'k3s.lan')).to.equal("the certificate there does not name k3s.lan or is not signed by this cluster's CA");
    expect(describeCurlFailure(6, '', 'k3s.lan')).to.equal('the name k3s.lan does not resolve');
    expect(describeCurlFailure(28, '', 'k3s.lan')).to.equal('nothing answered within the time limit');
  });
});
