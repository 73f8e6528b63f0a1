import { expect } from 'chai';
import fc from 'fast-check';
import { FleetError, InputError, SafetyError } from '../../../../src/errors.js';
import type { FleetFacts } from '../../../../src/facts/types.js';
import type { DiskHint, HostSpec, Inventory, Role } from '../../../../src/inventory/types.js';
import { plan } from '../../../../src/ops/up/plan.js';
import type { Plan } from '../../../../src/ops/up/types.js';
import { checkSteps, prerequisites } from '../../../../src/engine/step.js';
import { fleetFacts, host, hostFacts, inventory } from '../../support/plan-inputs.js';

/** Random inventories that pass validation: unique names, one init at most, never on an agent. */
const validInventory: fc.Arbitrary<Inventory> = fc
  .record({
    hosts: fc.array(
      fc.record({
        role: fc.constantFrom<Role>('server', 'agent', 'auto'),
        disk: fc.option(fc.constantFrom<DiskHint>('sd', 'emmc', 'ssd', 'nvme'), { nil: undefined }),
        ipv6: fc.boolean(),
      }),
      { minLength: 1, maxLength: 9 },
    ),
    initAt: fc.option(fc.nat(8), { nil: undefined }),
    servers: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
    allowEvenServers: fc.boolean(),
    registrationAddress: fc.option(fc.constant('10.9.9.9'), { nil: undefined }),
  })
  .map(({ hosts, initAt, servers, allowEvenServers, registrationAddress }) => {
    const specs: HostSpec[] = hosts.map((entry, i) =>
      host(`h-${i + 1}`, { role: entry.role, ...(entry.disk ? { disk: entry.disk } : {}), address: entry.ipv6 ? `fd00::${i + 1}` : `10.0.0.${i + 1}` }),
    );
    if (initAt !== undefined && initAt < specs.length && specs[initAt]!.role !== 'agent') specs[initAt]!.init = true;
    const explicit = specs.filter((spec) => spec.role === 'server').length;
    const possible = specs.filter((spec) => spec.role !== 'agent').length;
    // cluster.servers is only kept where the validator would accept it.
    const keepServers = servers !== undefined && servers >= explicit && servers <= possible;
    return inventory(specs, { allowEvenServers, ...(keepServers ? { servers } : {}), ...(registrationAddress ? { registrationAddress } : {}) });
  });

/** Facts for some hosts: random fsync p99s and, sometimes, existing etcd data on a non-agent. */
function randomFacts(inv: Inventory): fc.Arbitrary<FleetFacts> {
  return fc
    .array(fc.record({ p99: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), etcd: fc.boolean() }), { minLength: inv.hosts.length, maxLength: inv.hosts.length })
    .map((entries) =>
      fleetFacts(...inv.hosts.map((spec, i) => hostFacts(spec.name, { ...(entries[i]!.p99 !== undefined ? { p99Ms: entries[i]!.p99 } : {}), etcdData: entries[i]!.etcd && spec.role !== 'agent' }))),
    );
}

function checkInvariants(inv: Inventory, result: Plan, facts?: FleetFacts): void {
  const clusterInits = result.hosts.filter((planned) => planned.config['cluster-init'] === true);
  expect(clusterInits.length).to.be.at.most(1);
  const existing = inv.hosts.some((spec) => facts?.get(spec.name)?.k3s.etcdData);
  if (existing) expect(clusterInits).to.have.length(0);
  else expect(clusterInits).to.have.length(1);

  if (result.servers % 2 === 0) expect(inv.cluster.allowEvenServers, 'even count without the override').to.equal(true);

  const listed = [result.firstServer, ...result.joiningServers, ...result.existingServers, ...result.agents];
  expect([...listed].sort()).to.deep.equal(inv.hosts.map((spec) => spec.name).sort());
  expect(new Set(listed).size).to.equal(listed.length);
  expect(result.servers).to.equal(1 + result.joiningServers.length + result.existingServers.length);

  // The steps are what the engine runs: a valid graph, in an order that respects it.
  expect(() => checkSteps(result.steps)).to.not.throw();
  const ids = result.steps.map((step) => step.id);
  for (const step of result.steps) for (const dependency of prerequisites(step)) expect(ids.indexOf(dependency)).to.be.lessThan(ids.indexOf(step.id));
  // Servers strictly one at a time, in join order: each server's first step depends on the
  // previous server's last step.
  const serverOrder = [result.firstServer, ...result.existingServers, ...result.joiningServers];
  const serverSteps = result.steps.filter((step) => step.lane === 'servers');
  expect([...new Set(serverSteps.map((step) => step.host))]).to.deep.equal(serverOrder);
  serverOrder.forEach((name, i) => {
    if (i === 0) return;
    const own = serverSteps.filter((step) => step.host === name);
    const previous = serverSteps.filter((step) => step.host === serverOrder[i - 1]);
    expect(own[0]!.dependsOn).to.deep.equal([previous[previous.length - 1]!.id]);
  });
  // Every host has exactly one install step; agents through the bounded lane.
  for (const name of listed) expect(result.steps.filter((step) => step.host === name && /^(install-|convert-)/.test(step.id))).to.have.length(1);
  for (const name of result.agents) expect(result.steps.find((step) => step.id === `install-agent:${name}`)!.lane).to.equal('agents');
}

describe('plan: properties over random valid inventories', () => {
  it('dry-run: one cluster-init, no even count without the override, sequential joins, every host once', () => {
    let planned = 0;
    fc.assert(
      fc.property(validInventory, (inv) => {
        let result: Plan;
        try {
          result = plan(inv);
        } catch (error) {
          // Only the inventory can be at fault without facts: exit code 2.
          expect(error).to.be.instanceOf(InputError);
          expect((error as FleetError).exitCode).to.equal(2);
          return;
        }
        checkInvariants(inv, result);
        planned++;
      }),
      { numRuns: 400 },
    );
    // Most random inventories must plan, or the properties above would hold vacuously.
    expect(planned).to.be.greaterThan(200);
  });

  it('with facts: never a cluster-init where a cluster exists, and the same invariants', () => {
    let existing = 0;
    fc.assert(
      fc.property(
        validInventory.chain((inv) => fc.tuple(fc.constant(inv), randomFacts(inv))),
        ([inv, facts]) => {
          let result: Plan;
          try {
            result = plan(inv, facts);
          } catch (error) {
            expect(error instanceof InputError || error instanceof SafetyError, String(error)).to.equal(true);
            return;
          }
          checkInvariants(inv, result, facts);
          if (result.existingCluster) existing++;
          for (const name of [result.firstServer, ...result.joiningServers]) {
            const p99 = facts.get(name)?.disk?.p99Ms;
            const spec = inv.hosts.find((candidate) => candidate.name === name)!;
            if (spec.role === 'auto' && !spec.init && !facts.get(name)?.k3s.etcdData && p99 !== undefined) expect(p99).to.be.at.most(inv.cluster.disk.maxFsyncP99Ms);
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(existing).to.be.greaterThan(20);
  });
});
