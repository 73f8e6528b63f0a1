import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { parseK3sConfig, tokenFingerprint, tokenSecret } from '../../../src/facts/k3s-config.js';
import { fixture } from '../../support/fact-fixtures.js';

const TOKEN = 'K10a1b2c3d4e5f6::server:correct-horse-battery-staple';
const SECRET = 'correct-horse-battery-staple';

describe('facts: installed config.yaml', () => {
  it('parses the settings and replaces the tokens by fingerprints', () => {
    const facts = parseK3sConfig(fixture('k3s-config.server.yaml'));
    expect(facts.status).to.equal('present');
    expect(facts.config).to.deep.equal({
      'cluster-init': true,
      'tls-san': ['192.168.1.50', 'k3s.home.arpa'],
      disable: ['servicelb', 'traefik'],
      'write-kubeconfig-mode': '0644',
      'node-label': ['fleet/kind=pi'],
      'cluster-cidr': '10.42.0.0/16',
      'kubelet-arg': ['max-pods=110'],
    });
    expect(facts.tokenHash).to.equal(`sha256:${createHash('sha256').update(SECRET).digest('hex')}`);
    expect(facts.tokenHash).to.equal(tokenFingerprint(TOKEN));
    expect(facts.agentTokenHash).to.equal(tokenFingerprint('agent-secret-1'));
  });

  it('never lets the token text out of the parser', () => {
    const serialised = JSON.stringify(parseK3sConfig(fixture('k3s-config.server.yaml')));
    expect(serialised).not.to.include('correct-horse');
    expect(serialised).not.to.include('agent-secret-1');
  });

  it('does not quote the file when it is not valid YAML', () => {
    const facts = parseK3sConfig('cluster-init: true\ntoken: "unterminated-secret\n');
    expect(facts.status).to.equal('invalid');
    expect(facts.error).to.match(/^not valid YAML/);
    expect(JSON.stringify(facts)).not.to.include('unterminated-secret');
  });

  it('prints no yaml warning, which would quote the token line', () => {
    const printed: unknown[] = [];
    const saved = { emitWarning: process.emitWarning, warn: console.warn };
    process.emitWarning = ((...args: unknown[]) => void printed.push(args)) as typeof process.emitWarning;
    console.warn = (...args: unknown[]) => void printed.push(args);
    let facts;
    try {
      facts = parseK3sConfig(`token: !custom ${TOKEN}\n? [odd, key]\n: x\n`);
    } finally {
      process.emitWarning = saved.emitWarning;
      console.warn = saved.warn;
    }
    expect(printed).to.deep.equal([]);
    expect(facts.tokenHash).to.equal(tokenFingerprint(TOKEN));
  });

  it('tells an absent file from an unreadable one', () => {
    expect(parseK3sConfig('# fleet: absent\n')).to.deep.equal({ status: 'absent' });
    expect(parseK3sConfig('# fleet: unreadable\n')).to.deep.equal({ status: 'unreadable' });
  });

  it('takes an empty file as an empty config and a list as invalid', () => {
    expect(parseK3sConfig('')).to.deep.equal({ status: 'present', config: {} });
    expect(parseK3sConfig('- a\n- b\n').status).to.equal('invalid');
  });

  it('fingerprints the secret, so a full K10 token and its bare secret match', () => {
    expect(tokenSecret(TOKEN)).to.equal(SECRET);
    expect(tokenSecret('K1075f3a0::node:agent-pass\n')).to.equal('agent-pass');
    expect(tokenSecret(' plain-token ')).to.equal('plain-token');
    expect(tokenFingerprint(TOKEN)).to.equal(tokenFingerprint(SECRET));
    expect(tokenFingerprint(TOKEN)).not.to.equal(tokenFingerprint('K10a1b2c3d4e5f6::server:other-secret'));
  });

  it('fingerprints a numeric token as its text', () => {
    expect(parseK3sConfig('token: 12345\n').tokenHash).to.equal(tokenFingerprint('12345'));
  });
});
