import { expect } from 'chai';
import { runSteps, type StepHandler } from '../../../src/engine/run-steps.js';
import { changingSteps, checkSteps, type Step } from '../../../src/engine/step.js';

const step = (id: string, dependsOn: string[] = [], extra: Partial<Step> = {}): Step => ({ id, host: id.split(':')[1] ?? 'cluster', action: id.split(':')[0]!, changes: true, dependsOn, ...extra });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Handlers that record start/finish order and how many of each lane overlap. */
function recording(fail: string[] = []) {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  const handler: StepHandler = async (s) => {
    events.push(`start ${s.id}`);
    running++;
    peak = Math.max(peak, running);
    await tick();
    running--;
    events.push(`end ${s.id}`);
    if (fail.includes(s.id)) throw new Error(`${s.id} broke`);
    return { changed: s.changes ? 'install' : 'none' };
  };
  return { events, handler, peak: () => peak };
}

describe('engine: runSteps', () => {
  it('starts a step only after everything it depends on has succeeded', async () => {
    const steps = [step('install:a'), step('install:b', ['install:a']), step('install:c', ['install:a']), step('verify:cluster', ['install:b', 'install:c'])];
    const rec = recording();
    const runs = await runSteps(steps, { handlers: { install: rec.handler, verify: rec.handler } });
    expect(rec.events.indexOf('start install:b')).to.be.greaterThan(rec.events.indexOf('end install:a'));
    expect(rec.events.indexOf('start verify:cluster')).to.be.greaterThan(rec.events.indexOf('end install:b'));
    expect(rec.events.indexOf('start verify:cluster')).to.be.greaterThan(rec.events.indexOf('end install:c'));
    expect(runs.map((r) => r.outcome)).to.deep.equal(['changed', 'changed', 'changed', 'changed']);
    expect(runs.every((r) => r.startedAt !== undefined && r.finishedAt !== undefined)).to.equal(true);
  });

  it('starts a step with `after` once those steps ended, whatever their outcome (ordering only)', async () => {
    const steps = [step('install:a'), step('install:b', ['install:a']), step('install:c'), step('verify:cluster', ['install:c'], { after: ['install:a', 'install:b'] })];
    const rec = recording(['install:a']);
    const runs = await runSteps(steps, { handlers: { install: rec.handler, verify: rec.handler } });
    expect(runs.map((r) => [r.id, r.outcome])).to.deep.equal([
      ['install:a', 'failed'],
      ['install:b', 'not-started'],
      ['install:c', 'changed'],
      ['verify:cluster', 'changed'],
    ]);
    expect(rec.events.indexOf('start verify:cluster')).to.be.greaterThan(rec.events.indexOf('end install:a'));
    expect(() => checkSteps([step('verify:cluster', [], { after: ['install:x'] })])).to.throw(TypeError, /unknown step install:x/);
  });

  it('runs independent steps in parallel, but never more of a lane than its limit', async () => {
    const steps = Array.from({ length: 7 }, (_, i) => step(`join:a${i}`, [], { lane: 'agents' }));
    const rec = recording();
    await runSteps(steps, { handlers: { join: rec.handler }, laneLimits: { agents: 3 } });
    expect(rec.peak()).to.equal(3);
    const unbounded = recording();
    await runSteps(
      steps.map((s) => ({ ...s, lane: undefined })),
      { handlers: { join: unbounded.handler } },
    );
    expect(unbounded.peak()).to.equal(7);
  });

  it('does not start the dependents of a failed step, transitively, and runs the rest', async () => {
    const steps = [step('install:a'), step('install:b', ['install:a']), step('install:c', ['install:b']), step('install:d')];
    const rec = recording(['install:a']);
    const runs = await runSteps(steps, { handlers: { install: rec.handler } });
    expect(runs.map((r) => [r.id, r.outcome])).to.deep.equal([
      ['install:a', 'failed'],
      ['install:b', 'not-started'],
      ['install:c', 'not-started'],
      ['install:d', 'changed'],
    ]);
    expect(runs[0]!.error).to.equal('install:a broke');
    expect(runs[1]!.error).to.match(/install:a failed/);
    expect(runs[2]!.error).to.match(/install:b did not run/);
    expect(rec.events).to.not.include('start install:b');
  });

  it('starts nothing new once aborted, and lets running steps finish', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const handler: StepHandler = async (s) => {
      events.push(`start ${s.id}`);
      if (s.id === 'install:a') controller.abort();
      await tick();
      events.push(`end ${s.id}`);
      return { changed: 'install' };
    };
    const runs = await runSteps([step('install:a'), step('install:b', ['install:a'])], { handlers: { install: handler }, signal: controller.signal });
    expect(events).to.deep.equal(['start install:a', 'end install:a']);
    expect(runs[0]!.outcome).to.equal('changed');
    expect(runs[1]!.outcome).to.equal('not-started');
    expect(runs[1]!.error).to.match(/interrupted/);
  });

  it('reports a step whose handler changed nothing as unchanged', async () => {
    const runs = await runSteps([step('check:a', [], { changes: false })], { handlers: { check: async () => ({ changed: 'none' }) } });
    expect(runs[0]!.outcome).to.equal('unchanged');
    expect(runs[0]!.changed).to.equal(undefined);
  });

  it('refuses steps it cannot walk: repeated ids, unknown dependencies, cycles, missing handlers', async () => {
    expect(() => checkSteps([step('x:a'), step('x:a')])).to.throw(TypeError, /twice/);
    expect(() => checkSteps([step('x:a', ['x:b'])])).to.throw(TypeError, /unknown step x:b/);
    expect(() => checkSteps([step('x:a', ['x:b']), step('x:b', ['x:a'])])).to.throw(TypeError, /cycle/);
    let error: unknown;
    await runSteps([step('x:a')], { handlers: {} }).catch((err) => (error = err));
    expect(error).to.be.instanceOf(TypeError);
  });

  it('an empty plan ends at once with nothing run', async () => {
    expect(await runSteps([], { handlers: {} })).to.deep.equal([]);
  });

  it('changingSteps keeps only the steps that change something', () => {
    expect(changingSteps([step('a:x'), step('b:x', [], { changes: false })]).map((s) => s.id)).to.deep.equal(['a:x']);
  });
});
