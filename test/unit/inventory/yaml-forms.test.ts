// YAML as users write it: merge keys (YAML 1.1) from x- anchors, and the mistakes YAML allows
// silently or words in its own terms, said in fleet's words.
import { expect } from 'chai';
import { issuesOf, loadText } from './support.js';

describe('inventory: YAML forms', () => {
  it("accepts merge keys from a top-level x- anchor; a host's own keys win", () => {
    const inventory = loadText(`x-pi: &pi { kind: pi, disk: sd, ssh: { user: pi } }
cluster: { name: homelab }
hosts:
  - { <<: *pi, name: pi-1, address: 192.168.1.11, role: server }
  - <<: *pi
    name: pi-2
    address: 192.168.1.12
    disk: nvme
`);
    expect(inventory.hosts.map((h) => [h.name, h.kind, h.disk, h.ssh.user])).to.deep.equal([
      ['pi-1', 'pi', 'sd', 'pi'],
      ['pi-2', 'pi', 'nvme', 'pi'],
    ]);
  });

  it('says a key appears twice, naming it, and a second document, in its own words', () => {
    const duplicate = issuesOf('cluster:\n  name: a\nhosts:\n  - { name: h, address: 10.0.0.1, name: g }\n');
    expect(duplicate[0]!.message).to.match(/^invalid YAML \(column \d+\): the key "name" appears twice in the same map$/);
    const two = issuesOf('cluster: { name: a }\nhosts: [{ name: h, address: 10.0.0.1 }]\n---\ncluster: { name: b }\n');
    expect(two[0]!.message).to.include('more than one YAML document');
    expect(two[0]!.message).not.to.match(/parseAllDocuments|YAML\.parse/);
  });

  it('refuses deep nesting in words, and says to quote a number used as a name', () => {
    const deep = issuesOf(`cluster: { name: a, config: { x: ${'['.repeat(40)}1${']'.repeat(40)} } }\nhosts: [{ name: h, address: 10.0.0.1 }]\n`);
    expect(deep[0]!.message).to.match(/nested more than 32 levels deep/);
    const numeric = issuesOf('cluster: { name: 1234 }\nhosts: [{ name: h, address: 10.0.0.1 }]\n');
    expect(numeric[0]).to.include({ path: 'cluster.name', message: '1234 is read by YAML as a number, not as text' });
    expect(numeric[0]!.hint).to.match(/^put it in quotes if it is meant as text \("1234"\)/);
  });

  it("points names of other tools to fleet's place for them", () => {
    const issues = issuesOf('cluster: { name: a, version: v1.31.4+k3s1 }\nhosts:\n  - { hostname: h, ip: 10.0.0.1, user: pi, keyPath: ~/.ssh/id }\n');
    const hints = Object.fromEntries(issues.map((issue) => [issue.path, issue.hint]));
    expect(hints).to.include({
      'cluster.version': 'fleet calls this k3s.version',
      'hosts[0].ip': 'fleet calls this address',
      'hosts[0].user': 'fleet calls this ssh: { user: … }',
      'hosts[0].keyPath': 'fleet calls this ssh: { identityFile: … }',
    });
    expect(hints['hosts[0].hostname']).to.match(/^fleet calls this name/);
  });
});
