import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { ClusterLockHeldError, controllerIdentity, lockHosts, newLockOwner, parseLockOwner, staleReason, STALE_AFTER_MS } from '../../../src/state/cluster-lock.js';
import { host, inventory } from '../support/plan-inputs.js';

describe('state/cluster-lock: who holds it and whether it is stale', () => {
  it('names this machine (hostname and a stable id), user, pid, command and start time', () => {
    const owner = newLockOwner('fleet up inv.yaml', new Date('2026-01-01T00:00:00Z'));
    expect(owner).to.include({ pid: process.pid, command: 'fleet up inv.yaml', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(owner.machineId).to.equal(controllerIdentity().machineId);
    expect(owner.machineId.length).to.be.greaterThan(0);
    expect(owner.runId).to.match(/^[0-9a-f]{24}$/);
    expect(newLockOwner('x').runId).to.not.equal(owner.runId);
    expect(parseLockOwner(`${JSON.stringify(owner)}\n`)).to.deep.equal(owner);
    expect(parseLockOwner('garbage')).to.equal(undefined);
  });

  it('same machine: stale exactly when the pid is gone', () => {
    const alive = newLockOwner('fleet up');
    expect(staleReason(alive)).to.equal(undefined);
    const dead = { ...alive, pid: spawnSync('true').pid! };
    expect(staleReason(dead)).to.match(/its process \(pid \d+\) is gone from this machine/);
  });

  it('another machine: stale only once older than the bound', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const other = { ...newLockOwner('fleet up'), machineId: 'another-laptop', machine: 'laptop' };
    expect(staleReason({ ...other, startedAt: new Date(now - 60_000).toISOString() }, now)).to.equal(undefined);
    expect(staleReason({ ...other, startedAt: new Date(now - STALE_AFTER_MS - 1000).toISOString() }, now)).to.match(/older than 6 h/);
    expect(staleReason({ ...other, startedAt: 'not a date' }, now)).to.match(/older than/);
  });

  it('the refusal names the holder and points at fleet unlock when stale', () => {
    const owner = { ...newLockOwner('fleet up a.yaml'), machine: 'laptop', user: 'alice' };
    const live = new ClusterLockHeldError('h1', owner, undefined);
    expect(live.exitCode).to.equal(2);
    expect(live.message).to.match(/another fleet run holds the cluster lock \(\/var\/lib\/rancher\/k3s\/fleet\.lock on h1\): `fleet up a\.yaml` by alice on laptop/);
    expect(live.hint).to.match(/wait for that run/);
    const stale = new ClusterLockHeldError('h1', owner, 'its process (pid 5) is gone from this machine');
    expect(stale.message).to.match(/the lock is stale: its process/);
    expect(stale.hint).to.match(/fleet unlock <inventory>/);
  });

  it('is taken on the servers and on auto hosts (the would-be servers of a fresh cluster), not on agents', () => {
    const inv = inventory([host('s1', { role: 'server' }), host('a1', { role: 'agent' }), host('x1', { role: 'auto' })]);
    expect(lockHosts(inv)).to.deep.equal(['s1', 'x1']);
  });
});
