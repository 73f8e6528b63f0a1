// up's step handlers, one per action: each acts on one host through its transport and records
// its timing in the host's report. The plan decided what changes; a step with changes: false
// only records that nothing was done.
import type { StepHandler } from '../../engine/run-steps.js';
import type { Step } from '../../engine/step.js';
import { SafetyError } from '../../errors.js';
import { missingAfterConversion, nodesBeforeConversion } from './sqlite-conversion.js';
import { removeStaleMember } from './stale-members.js';
import type { PlannedHost } from './types.js';
import { installK3s } from '../../actions/install-k3s.js';
import { writeManifests } from './vip-manifests.js';
import { registrationGate } from './registration-gate.js';
import { waitForServer } from '../../actions/wait-ready.js';
import type { RunContext } from './context.js';
import { kubeconfigHandler, verifyHandler } from './verify-and-kubeconfig.js';

export function upHandlers(ctx: RunContext): Record<string, StepHandler> {
  return {
    'remove-stale-member': (step) => removeStale(ctx, step),
    'install-server': (step) => install(ctx, step),
    'install-agent': (step) => install(ctx, step),
    'wait-server': async (step) => void (await waitServer(ctx, ctx.planned.get(step.host)!)),
    'convert-to-etcd': (step) => convert(ctx, step),
    'restore-snapshot': (step) => restoreSnapshot(ctx, step),
    'check-registration-address': () => checkRegistration(ctx),
    verify: () => verifyHandler(ctx),
    kubeconfig: () => kubeconfigHandler(ctx),
  };
}

async function install(ctx: RunContext, step: Step): Promise<{ changed: string }> {
  const host = ctx.planned.get(step.host)!;
  const name = host.role === 'server' ? 'install-server' : 'install-agent';
  const report = ctx.reports.get(host.name)!;
  if (!step.changes) return ctx.recorder.step(report, name, async () => ({ changed: 'none', exitCode: 0 }));
  const transport = await ctx.deps.transportFor(host.name);
  // cluster.vip: kube-vip's manifests are in place before K3s starts, so it deploys them.
  if (ctx.plan.kubeVip?.host === host.name) await writeManifests(transport, ctx.plan.kubeVip.manifests);
  // No abort signal here: an install that has started is let finish (or time out), never cut.
  const registries = registriesChange(ctx, host);
  return ctx.recorder.step(report, name, () =>
    installK3s({ transport, planned: host, facts: ctx.facts.get(host.name), cluster: ctx.inventory.cluster, token: ctx.token!, ...(registries ? { registries } : {}) }),
  );
}

/** The plan's registries.yaml change, with the file's real text from the inventory (the plan holds it redacted). */
function registriesChange(ctx: RunContext, host: PlannedHost): { content: string } | { remove: true } | undefined {
  if (host.registries?.change === 'remove') return { remove: true };
  const content = ctx.inventory.hosts.find((h) => h.name === host.name)?.registries?.content;
  // Written whenever the host installs or restarts: in place already, the playbook leaves it be.
  return host.registries !== undefined && content !== undefined ? { content } : undefined;
}

async function waitServer(ctx: RunContext, host: PlannedHost, nodesBefore?: string[]): Promise<void> {
  const transport = await ctx.deps.transportFor(host.name);
  await ctx.recorder.step(ctx.reports.get(host.name)!, 'wait-ready', async () => {
    const view = await waitForServer(transport, host, { timeoutMs: ctx.options.serverTimeoutMs, signal: ctx.deps.signal });
    const missing = nodesBefore ? missingAfterConversion(nodesBefore, view) : [];
    if (missing.length > 0) throw new SafetyError(`${host.name} converted to etcd but no longer lists ${missing.join(', ')}; no server joins until they are back`, 'check journalctl -u k3s on it');
  });
}

/** SQLite → etcd: the nodes it has now must survive the restart with cluster-init. */
async function convert(ctx: RunContext, step: Step): Promise<{ changed: string }> {
  const host = ctx.planned.get(step.host)!;
  const nodesBefore = await nodesBeforeConversion(await ctx.deps.transportFor(host.name));
  const result = await install(ctx, step);
  await waitServer(ctx, host, nodesBefore);
  return result;
}

async function removeStale(ctx: RunContext, step: Step): Promise<{ changed: string }> {
  const stale = ctx.plan.staleMembers.find((s) => s.host === step.host)!;
  const removed = await removeStaleMember(await ctx.deps.transportFor(ctx.live!.name), stale);
  for (const change of removed) {
    ctx.clusterChanges.push(change);
    ctx.deps.logger?.info({ change }, 'cluster changed');
    ctx.progress.note(change);
  }
  return { changed: removed.join('; ') };
}

/** --restore-from: the freshly installed first server is reset from the snapshot, started, waited for. */
async function restoreSnapshot(ctx: RunContext, step: Step): Promise<{ changed: string }> {
  const host = ctx.planned.get(step.host)!;
  const transport = await ctx.deps.transportFor(host.name);
  return ctx.recorder.step(ctx.reports.get(host.name)!, 'restore-snapshot', () =>
    ctx.options.restoreFrom!.restore(transport, host, { timeoutMs: ctx.options.serverTimeoutMs, signal: ctx.deps.signal }),
  );
}

/** The registration address answers as this cluster, or no agent is pointed at it (exit 3). */
async function checkRegistration(ctx: RunContext): Promise<{ changed: string }> {
  const agents = ctx.plan.hosts.filter((h) => h.role === 'agent' && h.action !== 'none' && h.action !== 'left-out');
  try {
    await registrationGate(ctx.inventory, ctx.plan, agents, ctx.deps.transportFor, (text) => ctx.recorder.warnings.push(text));
  } catch (err) {
    ctx.refusal ??= err;
    throw err;
  }
  return { changed: 'none' };
}
