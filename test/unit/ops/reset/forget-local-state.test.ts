import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetLocalState, withoutClusterEntries } from '../../../../src/ops/reset/forget-local-state.js';
import { stringify } from 'yaml';
import { rewriteKubeconfig } from '../../../../src/actions/fetch-kubeconfig.js';
import { mergeKubeconfigDocs, parseUserKubeconfig } from '../../../../src/state/kubeconfig-merge.js';

/** What `--merge` writes: the user's file with the cluster's entries added. */
const mergeKubeconfig = (existing: string, incoming: string): string => stringify(mergeKubeconfigDocs(parseUserKubeconfig(existing, 'config'), parseUserKubeconfig(incoming, 'config'), 'config').doc);

const K3S =
  'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: QUJD\n    server: https://127.0.0.1:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    user: default\n  name: default\ncurrent-context: default\nkind: Config\nusers:\n- name: default\n  user:\n    token: secret\n';
const OTHER =
  '# my clusters\napiVersion: v1\nkind: Config\nclusters:\n- name: work # the office\n  cluster: { server: "https://work:6443" }\nusers:\n- name: work\n  user: { token: w }\ncontexts:\n- name: work\n  context: { cluster: work, user: work }\ncurrent-context: work\n';

describe('reset: forgetting local state', () => {
  it('removes exactly the entries fleet merged (named after the cluster) and keeps the others with their comments', () => {
    const merged = mergeKubeconfig(OTHER, rewriteKubeconfig(K3S, 'lab', '10.0.0.1'));
    expect(merged).to.include('name: lab');
    const out = withoutClusterEntries(merged, 'lab')!;
    expect(out).to.not.match(/\blab\b/);
    expect(out).to.include('name: work').and.include('current-context: work');
    expect(withoutClusterEntries(OTHER, 'lab')).to.equal(undefined);
    // The lab's context was the current one: it goes, leaving no dangling current-context.
    const only = withoutClusterEntries(rewriteKubeconfig(K3S, 'lab', '10.0.0.1'), 'lab')!;
    expect(only).to.not.include('current-context');
    expect(withoutClusterEntries(`${OTHER}`.replace('current-context: work', 'current-context: work'), 'work')).to.include('# my clusters');
  });

  it("removes .fleet/<cluster>/ and the kubeconfig entries, and leaves other clusters' state alone", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-forget-'));
    mkdirSync(join(dir, '.fleet', 'lab', 'logs'), { recursive: true });
    mkdirSync(join(dir, '.fleet', 'other'), { recursive: true });
    writeFileSync(join(dir, '.fleet', 'lab', 'token'), 'x');
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, mergeKubeconfig(OTHER, rewriteKubeconfig(K3S, 'lab', '10.0.0.1')));
    const forgotten = forgetLocalState({ dir, cluster: { name: 'lab' } as never }, kubeconfig);
    expect(forgotten).to.deep.equal({ stateDir: join(dir, '.fleet', 'lab'), kubeconfig });
    expect(existsSync(join(dir, '.fleet', 'lab'))).to.equal(false);
    expect(existsSync(join(dir, '.fleet', 'other'))).to.equal(true);
    expect(readFileSync(kubeconfig, 'utf8')).to.not.match(/\blab\b/);
    expect(forgetLocalState({ dir, cluster: { name: 'lab' } as never }, kubeconfig)).to.deep.equal({});
  });
});
