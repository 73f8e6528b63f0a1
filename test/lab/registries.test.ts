// The stand-in reads /etc/rancher/k3s/registries.yaml once, at start, as K3s does (its
// "Using private registry config file at …" line, then the mirrors it loaded), and refuses a file
// it cannot unmarshal with yaml.v2's wording, ending the start (level=fatal). Proven by hand on
// one server and one agent: files written over ssh, the service restarted with systemctl.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Lab } from './lab.js';
import { apiUrl, downTestLab, eventually, installK3s, journal, nodes, serverToken, upTestLab } from './support.js';

const FILE = '/etc/rancher/k3s/registries.yaml';
const STATE = '/var/lib/rancher/k3s/agent/standin-registries.json';

const registries = (endpoint: string) =>
  ['mirrors:', '  docker.io:', '    endpoint:', `      - "${endpoint}"`, 'configs:', '  "mirror.lab:5000":', '    auth:', '      username: lab', '      password: lab-registry-secret', ''].join('\n');

describe('k3s stand-in: registries.yaml read at start', function () {
  this.timeout(180000);
  let lab: Lab;
  const write = (host: string, text: string) => lab.ssh(host, `sudo mkdir -p /etc/rancher/k3s && sudo tee ${FILE} > /dev/null && sudo chmod 600 ${FILE}`, { input: text });
  const loaded = async (host: string) => JSON.parse(await lab.ssh(host, `cat ${STATE}`)) as { sha256: string; mirrors: Record<string, string[]>; configs: string[] };

  before(async () => {
    lab = await upTestLab({ hosts: 2 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('a server and an agent load the mirrors at start and say so in their journal', async () => {
    const text = registries('https://mirror.lab:5000');
    await write('h1', text);
    await write('h2', text);
    expect((await installK3s(lab, 'h1', { K3S_TOKEN: 'registries-secret', INSTALL_K3S_EXEC: 'server --cluster-init' })).code).to.equal(0);
    expect((await installK3s(lab, 'h2', { K3S_TOKEN: await serverToken(lab, 'h1'), K3S_URL: apiUrl(lab, 'h1') })).code).to.equal(0);
    await eventually('two Ready nodes', 30000, async () => ((await nodes(lab, 'h1')).filter((n) => n.ready).length === 2 ? true : undefined));
    for (const [host, unit] of [
      ['h1', 'k3s'],
      ['h2', 'k3s-agent'],
    ] as const) {
      expect(await journal(lab, host, unit)).to.include(`Using private registry config file at ${FILE}`);
      const state = await loaded(host);
      expect(state.mirrors).to.deep.equal({ 'docker.io': ['https://mirror.lab:5000'] });
      expect(state.configs).to.deep.equal(['mirror.lab:5000']);
      expect(state.sha256).to.equal(createHash('sha256').update(text).digest('hex'));
      expect(JSON.stringify(state)).to.not.include('lab-registry-secret');
    }
  });

  it('a changed file is read only when the service starts again', async () => {
    await write('h1', registries('https://other-mirror.lab'));
    expect((await loaded('h1')).mirrors['docker.io']).to.deep.equal(['https://mirror.lab:5000']);
    expect((await lab.sshExec('h1', 'sudo systemctl restart k3s')).code).to.equal(0);
    expect((await loaded('h1')).mirrors['docker.io']).to.deep.equal(['https://other-mirror.lab']);
  });

  it('refuses a file it cannot unmarshal: the start fails with level=fatal and yaml.v2 wording', async () => {
    await write('h2', 'mirrors:\n  docker.io:\n    endpoint: https://not-a-list.lab\n');
    // The agent's unit is Type=exec (as K3s's install script writes it): restart returns before the start fails.
    await lab.sshExec('h2', 'sudo systemctl restart k3s-agent');
    await eventually('the agent to stop', 15000, async () => ((await lab.sshExec('h2', 'systemctl is-active k3s-agent')).stdout.trim() !== 'active' ? true : undefined));
    expect(await journal(lab, 'h2', 'k3s-agent')).to.include('level=fatal msg="yaml: unmarshal errors:\\n  line 3: cannot unmarshal !!str `https://not-a-list.lab` into []string"');
    // The server's unit is Type=notify: its restart itself fails.
    await write('h1', 'mirrors:\n  docker.io:\n endpoint: [x]\n    oops\n');
    expect((await lab.sshExec('h1', 'sudo systemctl restart k3s')).code).to.not.equal(0);
    expect(await journal(lab, 'h1')).to.match(/level=fatal msg="yaml: line \d+: /);
    await write('h1', registries('https://mirror.lab:5000'));
    expect((await lab.sshExec('h1', 'sudo systemctl restart k3s')).code).to.equal(0);
    // Put right, it starts again.
    await write('h2', registries('https://mirror.lab:5000'));
    await lab.sshExec('h2', 'sudo systemctl restart k3s-agent');
    await eventually('the agent active again', 15000, async () => ((await lab.sshExec('h2', 'systemctl is-active k3s-agent')).stdout.trim() === 'active' ? true : undefined));
  });
});
