// The plan is what runs: on one lab, for a fresh fleet, a converged one, config drift, a
// re-imaged server and an add-node, the changing steps `fleet plan --json` lists are exactly the
// steps `fleet up --json` / `fleet add-node --json` then change (same ids), every step of the plan
// is in the run report, and the run's start/finish times respect dependsOn and after.
import { expect } from 'chai';
import type { Lab } from '../lab/lab.js';
import { downTestLab, upTestLab } from '../lab/support.js';
import { writeLabInventory } from './lab-inventory.js';
import { runFleet } from './support.js';

interface PlanStep {
  id: string;
  host: string;
  action: string;
  changes: boolean;
  dependsOn: string[];
  after?: string[];
}
interface StepRun {
  id: string;
  outcome: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
}

const ROLES = { h1: 'server', h2: 'server', h3: 'server', h4: 'agent' };
const CIDR = ['  config:', '    cluster-cidr: 10.42.0.0/16'];

async function planSteps(inventory: string): Promise<PlanStep[]> {
  const run = await runFleet(['plan', inventory, '--json']);
  expect(run.code, run.stderr).to.equal(0);
  return (JSON.parse(run.stdout) as { steps: PlanStep[] }).steps;
}

async function runSteps(args: string[]): Promise<StepRun[]> {
  const run = await runFleet([...args, '--json']);
  expect(run.code, `${run.stderr}\n${run.stdout}`).to.equal(0);
  return (JSON.parse(run.stdout) as { steps: StepRun[] }).steps;
}

/** The comparison the issue asks for: same changing ids, every plan step reported, order kept. */
function expectRunMatchesPlan(plan: PlanStep[], ran: StepRun[]): void {
  expect(
    ran.map((r) => r.id),
    "the run reports the plan's steps",
  ).to.deep.equal(plan.map((s) => s.id));
  const changing = plan.filter((s) => s.changes).map((s) => s.id);
  expect(
    ran.filter((r) => r.outcome === 'changed').map((r) => r.id),
    "changed steps = the plan's changing steps",
  ).to.deep.equal(changing);
  for (const r of ran) expect(r.outcome, `${r.id}: ${r.error ?? ''}`).to.be.oneOf(['changed', 'unchanged']);
  const byId = new Map(ran.map((r) => [r.id, r]));
  for (const step of plan) {
    const started = Date.parse(byId.get(step.id)!.startedAt!);
    for (const before of [...step.dependsOn, ...(step.after ?? [])]) {
      const finished = Date.parse(byId.get(before)!.finishedAt!);
      expect(finished, `${step.id} started before ${before} finished`).to.be.at.most(started);
    }
  }
}

describe('e2e: the plan is what runs (fresh, converged, drift, re-imaged server, add-node)', function () {
  this.timeout(900_000);
  let lab: Lab;

  before(async () => {
    lab = await upTestLab({ hosts: 5 });
  });
  after(async () => {
    await downTestLab(lab);
  });

  it('fresh fleet: the plan installs every host and up runs exactly those installs', async () => {
    const inventory = writeLabInventory(lab, 'inventory.yaml', ROLES, { cluster: CIDR });
    const plan = await planSteps(inventory);
    expect(plan.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['install-server:h1', 'install-server:h2', 'install-server:h3', 'install-agent:h4']);
    expectRunMatchesPlan(plan, await runSteps(['up', inventory]));
  });

  it('converged fleet: the plan lists no changing step, says nothing to do, and up changes nothing', async () => {
    const inventory = writeLabInventory(lab, 'inventory.yaml', ROLES, { cluster: CIDR });
    const plan = await planSteps(inventory);
    expect(plan.filter((s) => s.changes)).to.deep.equal([]);
    const human = await runFleet(['plan', inventory]);
    expect(human.stdout).to.include('Nothing to do: every host runs what the inventory says.');
    for (const host of Object.keys(ROLES)) expect(human.stdout).to.match(new RegExp(`^  ${host} +nothing to do$`, 'm'));
    expectRunMatchesPlan(plan, await runSteps(['up', inventory]));
  });

  it('config drift: the plan restarts the drifted host only, and up runs exactly that', async () => {
    const drifted = writeLabInventory(lab, 'drift.yaml', ROLES, { cluster: CIDR, host: { h2: ['    labels: { zone: b }'] } });
    const plan = await planSteps(drifted);
    expect(plan.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['install-server:h2']);
    expectRunMatchesPlan(plan, await runSteps(['up', drifted]));
  });

  it('re-imaged server: the plan removes its stale member, then reinstalls it, and up runs exactly that', async () => {
    const drifted = writeLabInventory(lab, 'drift.yaml', ROLES, { cluster: CIDR, host: { h2: ['    labels: { zone: b }'] } });
    await lab.ssh('h3', 'sudo /usr/local/bin/k3s-uninstall.sh');
    const plan = await planSteps(drifted);
    expect(plan.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['remove-stale-member:h3', 'install-server:h3']);
    expectRunMatchesPlan(plan, await runSteps(['up', drifted, '--yes']));
  });

  it('add-node: the plan with the new agent is what add-node runs', async () => {
    const withNew = writeLabInventory(lab, 'add.yaml', { ...ROLES, h5: 'agent' }, { cluster: CIDR, host: { h2: ['    labels: { zone: b }'] } });
    const plan = await planSteps(withNew);
    expect(plan.filter((s) => s.changes).map((s) => s.id)).to.deep.equal(['install-agent:h5']);
    expectRunMatchesPlan(plan, await runSteps(['add-node', withNew, '--host', 'h5']));
  });
});
