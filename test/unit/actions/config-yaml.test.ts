import { expect } from 'chai';
import { parse } from 'yaml';
import { renderConfigYaml, sameFlags, withToken } from '../../../src/actions/config-yaml.js';
import { TOKEN_PLACEHOLDER } from '../../../src/ops/up/types.js';

describe('steps/config-yaml', () => {
  const planned = { server: 'https://10.0.0.1:6443', token: TOKEN_PLACEHOLDER, 'tls-san': ['k3s.example.net', '10.0.0.50'], 'node-label': ['zone=a b', "quote='x'"], 'write-kubeconfig-mode': '0600' };

  it('puts the real token where the plan has the placeholder, and only in the rendered file', () => {
    const text = renderConfigYaml(planned, 's3cr3t-token-value');
    const doc = parse(text) as Record<string, unknown>;
    expect(doc.token).to.equal('s3cr3t-token-value');
    expect(doc['tls-san']).to.deep.equal(['k3s.example.net', '10.0.0.50']);
    expect(doc['node-label']).to.deep.equal(['zone=a b', "quote='x'"]);
    expect(doc['write-kubeconfig-mode']).to.equal('0600');
    expect(planned.token).to.equal(TOKEN_PLACEHOLDER);
  });

  it('gives a first server without a token flag the token too', () => {
    expect(withToken({ 'cluster-init': true }, 'abc')).to.deep.equal({ 'cluster-init': true, token: 'abc' });
  });

  it('round-trips strings that look like other YAML types', () => {
    const tricky = { a: 'true', b: '0600', c: 'null', d: '- x', e: 'a: b', f: '#x' };
    const doc = parse(renderConfigYaml(tricky, 't')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(tricky)) expect(doc[key]).to.equal(value);
  });

  it('compares flags ignoring the token and list element types', () => {
    expect(sameFlags({ server: 'https://10.0.0.1:6443', 'tls-san': ['a'] }, { server: 'https://10.0.0.1:6443', 'tls-san': ['a'], token: TOKEN_PLACEHOLDER })).to.equal(true);
    expect(sameFlags({ 'node-label': ['a=1'] }, { 'node-label': ['a=2'] })).to.equal(false);
    expect(sameFlags({ 'cluster-init': true }, {})).to.equal(false);
    expect(sameFlags({ port: 6443 }, { port: '6443' })).to.equal(true);
  });
});
