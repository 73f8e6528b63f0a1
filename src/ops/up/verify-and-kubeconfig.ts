// The last two steps: verify from the first server (every node Ready, every server a voting
// member) and the kubeconfig, run side by side once every other step has ended.
import { CommandError } from '../../errors.js';
import { statePaths } from '../../state/state-paths.js';
import { fetchKubeconfig, rewriteKubeconfig, writeSecretFile } from '../../actions/fetch-kubeconfig.js';
import { mergeIntoUserKubeconfig } from '../../state/kubeconfig-merge.js';
import { checkClusterView } from '../../actions/check-cluster-view.js';
import { waitForNodes } from '../../actions/wait-ready.js';
import type { RunContext } from './context.js';

const HOST_STEPS = new Set(['install-server', 'install-agent', 'convert-to-etcd']);

/** Hosts whose own step ran and did not fail: the ones the cluster must now show. */
function expectedHosts(ctx: RunContext) {
  const ran = new Set([...ctx.ended.values()].filter((r) => HOST_STEPS.has(r.action) && r.outcome !== 'failed').map((r) => r.host));
  return ctx.plan.hosts.filter((h) => ran.has(h.name) && ctx.reports.get(h.name)!.outcome !== 'failed');
}

export async function verifyHandler(ctx: RunContext): Promise<{ changed: string }> {
  const first = ctx.plan.firstServer;
  const expected = expectedHosts(ctx);
  ctx.progress.note(`verifying ${expected.length} nodes from ${first}`);
  // A run that changed nothing judges the view it read before deciding that (the live server's,
  // moments ago) when it already shows every node Ready; otherwise it waits for the nodes.
  const unchanged = ctx.clusterChanges.length === 0 && [...ctx.reports.values()].every((r) => r.outcome !== 'changed');
  const earlier = unchanged && ctx.live?.name === first ? checkClusterView(ctx.live.view, expected) : undefined;
  if (earlier && earlier.problems.length === 0) ctx.verify = earlier;
  else {
    const waited = await waitForNodes(await ctx.deps.transportFor(first), expected, { timeoutMs: ctx.options.agentTimeoutMs ?? 180_000, signal: ctx.deps.signal });
    for (const [name, why] of waited.notReady) {
      ctx.recorder.fail(ctx.reports.get(name)!, `not Ready after install: ${why}`);
      ctx.progress.update(name, `not Ready: ${why}`, 'failed');
    }
    // The wait's last read already holds nodes, members and health: judged as is, one round trip saved.
    ctx.verify = checkClusterView(
      waited.view,
      expected.filter((h) => !waited.notReady.has(h.name)),
    );
    if (waited.notReady.size > 0) throw new CommandError(first, 'verify', null, '', `not Ready: ${[...waited.notReady.keys()].join(', ')}`);
  }
  for (const problem of ctx.verify.problems) ctx.recorder.fail(ctx.reports.get(problem.host)!, problem.message);
  if (ctx.verify.problems.length > 0) throw new CommandError(first, 'verify', null, '', ctx.verify.problems.map((p) => `${p.host}: ${p.message}`).join('; '));
  return { changed: 'none' };
}

/** A kubeconfig that cannot be fetched is a warning: the cluster itself is fine. */
export async function kubeconfigHandler(ctx: RunContext): Promise<{ changed: string }> {
  const { inventory, plan } = ctx;
  try {
    const raw = await fetchKubeconfig(await ctx.deps.transportFor(plan.firstServer));
    const server = inventory.cluster.registrationAddress ?? plan.hosts.find((h) => h.name === plan.firstServer)!.address;
    const path = statePaths(inventory).kubeconfig;
    const kubeconfig = rewriteKubeconfig(raw, ctx.options.contextName ?? inventory.cluster.name, server);
    writeSecretFile(path, kubeconfig);
    // A merge fleet refuses (names taken, no --force) leaves the cluster fine: a warning, not a failure.
    if (ctx.options.merge)
      await mergeIntoUserKubeconfig(kubeconfig, ctx.options.merge).catch(
        (err: Error) => void ctx.recorder.warnings.push(`${err.message}${(err as { hint?: string }).hint ? ` (${(err as { hint?: string }).hint})` : ''}`),
      );
    ctx.kubeconfigPath = path;
  } catch (err) {
    ctx.recorder.warnings.push(`could not fetch the kubeconfig: ${(err as Error).message}`);
  }
  return { changed: 'none' };
}
