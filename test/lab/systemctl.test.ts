// The lab's systemctl driven by hand through every form K3s's install script uses: enable by unit
// file path, disable, daemon-reload, restart, reset-failed, a multi-line ExecStart of quoted
// arguments and the unit's EnvironmentFile; then the stand-in install script, which follows the
// published script's systemd steps, leaving the unit in the published shape.
import { expect } from 'chai';
import type { Lab } from './lab.js';
import { downTestLab, eventually, installK3s, nodes, upTestLab } from './support.js';

const UNIT = '/etc/systemd/system/demo.service';

function demoUnit(lastArg: string): string {
  return [
    '[Unit]',
    'Description=Demo of the forms K3s uses',
    '[Install]',
    'WantedBy=multi-user.target',
    '[Service]',
    'Type=exec',
    'EnvironmentFile=-/etc/default/%N',
    `EnvironmentFile=-${UNIT}.env`,
    'ExecStart=/bin/sh \\',
    "    '-c' \\",
    `\t'printf "%s|" "$0" "$@" > /var/log/demo.args; echo "$DEMO_VAR" > /var/log/demo.env; exec sleep 1000' \\`,
    "\t'demo' \\",
    "\t'two words' \\",
    `\t'${lastArg}' \\`,
    '',
    '',
  ].join('\n');
}

describe('lab: systemctl as K3s install script uses it', function () {
  this.timeout(180000);
  let lab: Lab;
  const root = (command: string) => lab.sshExec('h1', `sudo sh -c ${JSON.stringify(command)}`);
  const write = (path: string, text: string) => lab.ssh('h1', `sudo tee ${path} > /dev/null`, { input: text });

  before(async () => {
    lab = await upTestLab({ hosts: 1 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('enables a unit by its file path, and refuses a path that does not exist as systemd does', async () => {
    await write(UNIT, demoUnit("it'\\''s"));
    await write(`${UNIT}.env`, "DEMO_VAR='hello world'\n");
    const enabled = await root(`systemctl enable ${UNIT}`);
    expect(enabled.code, enabled.stderr).to.equal(0);
    expect(enabled.stdout).to.include('Created symlink /etc/systemd/system/multi-user.target.wants/demo.service');
    expect((await lab.sshExec('h1', 'systemctl is-enabled demo')).code).to.equal(0);
    const missing = await root('systemctl enable /etc/systemd/system/nothing.service');
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('Failed to enable unit: Unit file /etc/systemd/system/nothing.service does not exist.');
  });

  it('runs a multi-line ExecStart with quoted arguments and the env file, after daemon-reload and restart', async () => {
    expect((await root('systemctl daemon-reload')).code).to.equal(0);
    const restarted = await root('systemctl restart demo');
    expect(restarted.code, restarted.stderr).to.equal(0);
    const args = await eventually('the args file', 10000, async () => (await lab.sshExec('h1', 'cat /var/log/demo.args')).stdout || undefined);
    expect(args).to.equal("demo|two words|it's|");
    expect((await lab.ssh('h1', 'cat /var/log/demo.env')).trim()).to.equal('hello world');
    expect((await lab.sshExec('h1', 'systemctl is-active demo')).stdout.trim()).to.equal('active');
  });

  it("keeps running the unit as loaded until daemon-reload, with systemd's warning", async () => {
    await write(UNIT, demoUnit('changed'));
    await root('rm -f /var/log/demo.args');
    const stale = await root('systemctl restart demo');
    expect(stale.code).to.equal(0);
    expect(stale.stderr).to.include("Warning: The unit file, source configuration file or drop-ins of demo.service changed on disk. Run 'systemctl daemon-reload' to reload units.");
    expect(await eventually('the args file', 10000, async () => (await lab.sshExec('h1', 'cat /var/log/demo.args')).stdout || undefined)).to.equal("demo|two words|it's|");

    await root('rm -f /var/log/demo.args');
    expect((await root('systemctl daemon-reload')).code).to.equal(0);
    const fresh = await root('systemctl restart demo');
    expect(fresh.stderr).to.not.include('Warning');
    expect(await eventually('the args file', 10000, async () => (await lab.sshExec('h1', 'cat /var/log/demo.args')).stdout || undefined)).to.equal('demo|two words|changed|');
  });

  it('disables, resets failed state, stops by unit file name', async () => {
    const disabled = await root('systemctl disable demo');
    expect(disabled.code).to.equal(0);
    expect(disabled.stdout).to.include('Removed "/etc/systemd/system/multi-user.target.wants/demo.service"');
    expect((await lab.sshExec('h1', 'systemctl is-enabled demo')).stdout.trim()).to.equal('disabled');
    expect((await root('systemctl reset-failed demo')).code).to.equal(0);
    expect((await root('systemctl stop demo.service')).code).to.equal(0);
    expect((await lab.sshExec('h1', 'systemctl is-active demo')).stdout.trim()).to.equal('inactive');
  });

  it('installs the stand-in with the published steps: unit in the published shape, env file 0600, enabled, running', async () => {
    const install = await installK3s(lab, 'h1', { K3S_TOKEN: 'unit-secret', INSTALL_K3S_EXEC: 'server --cluster-init --node-label zone=shelf-1 --node-label rack=a' });
    expect(install.code, install.stderr).to.equal(0);
    const unit = await lab.ssh('h1', 'cat /etc/systemd/system/k3s.service');
    expect(unit).to.include("ExecStart=/usr/local/bin/k3s \\\n    server \\\n\t'--cluster-init' \\\n\t'--node-label' \\\n\t'zone=shelf-1' \\\n\t'--node-label' \\\n\t'rack=a' \\\n\n");
    expect(unit).to.include('EnvironmentFile=-/etc/systemd/system/k3s.service.env');
    expect((await lab.ssh('h1', 'sudo stat -c %a /etc/systemd/system/k3s.service.env')).trim()).to.equal('600');
    expect((await lab.sshExec('h1', 'systemctl is-enabled k3s')).stdout.trim()).to.equal('enabled');
    const node = await eventually('h1 Ready', 30000, async () => (await nodes(lab, 'h1')).find((n) => n.name === 'h1' && n.ready));
    expect(node.labels['zone']).to.equal('shelf-1');
    expect(node.labels['rack']).to.equal('a');
    // A second install with another flag rewrites the unit, reloads and restarts with it.
    const again = await installK3s(lab, 'h1', { K3S_TOKEN: 'unit-secret', INSTALL_K3S_EXEC: 'server --cluster-init --node-label zone=shelf-2' });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.not.include('changed on disk');
    const moved = await eventually('zone=shelf-2', 30000, async () => (await nodes(lab, 'h1')).find((n) => n.labels['zone'] === 'shelf-2'));
    expect(moved.name).to.equal('h1');
  });
});
