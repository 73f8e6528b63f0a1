// `fleet up`: the only code path that changes hosts. Facts → disk gate → plan → preflight →
// first server → servers one at a time, with agents (bounded queue) from when the first server is
// ready → verify → kubeconfig.
// Nothing is installed anywhere until every check that can refuse the run has passed.
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { ExitCode, FleetError, InputError, InterruptedError, SafetyError } from '../errors.js';
import type { DiskProbeOptions } from '../facts/disk-probe.js';
import type { FleetFacts } from '../facts/types.js';
import type { Inventory } from '../inventory/types.js';
import { plan as makePlan } from '../plan/plan.js';
import { isExistingServer } from '../plan/select-servers.js';
import type { Plan, PlannedHost } from '../plan/types.js';
import type { Transport } from '../ssh/transport.js';
import { statePaths } from '../state/paths.js';
import { alreadyConverged, installK3s } from '../steps/install-k3s.js';
import { installTimeoutMs } from '../steps/install-timeout.js';
import { fetchKubeconfig, mergeIntoUserKubeconfig, rewriteKubeconfig, writeSecretFile } from '../steps/kubeconfig.js';
import { preflight } from '../steps/preflight.js';
import { writeManifests } from '../steps/vip-manifests.js';
import { waitForNodes, waitForServer } from '../steps/wait-ready.js';
import { checkClusterView, type VerifyResult } from '../steps/verify.js';
import { gatherFleetFacts, type FleetFactsDeps } from './gather-fleet-facts.js';
import { silentProgress, type Progress } from './progress.js';
import { ReportRecorder, type RunReport } from './run-report.js';
import { registrationGate } from './registration-gate.js';
import { findHealthyMember, joinTargetCandidates, type HealthyMember } from './join-target.js';
import { missingAfterConversion, nodesBeforeConversion } from './sqlite-conversion.js';
import { removeStaleMembers } from './stale-members.js';
import { resolveToken } from './token.js';

export interface UpDeps {
  /** The connection to a host (one per host per run; the caller owns closing them). */
  transportFor: (name: string) => Promise<Transport>;
  progress?: Progress;
  logger?: Logger;
  signal?: AbortSignal;
  now?: () => number;
  /** Fact gathering and the disk probe; the real ones by default (tests may replace them). */
  gatherHostFacts?: FleetFactsDeps['gatherHostFacts'];
  probeDisk?: FleetFactsDeps['probeDisk'];
  /** Ask a person (stale etcd members); absent without a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

export interface UpOptions {
  concurrency?: number;
  merge?: boolean;
  /** How long one server may take to become ready. */
  serverTimeoutMs?: number;
  /** How long agents may take to become Ready after their install. */
  agentTimeoutMs?: number;
  /** Disk probe bounds. */
  diskProbe?: DiskProbeOptions;
  command?: string;
  /** Confirm the removal of stale etcd members without asking (--yes). */
  yes?: boolean;
  /** A last check on the plan before anything changes (add-node's quorum rule); may throw. */
  checkPlan?: (plan: Plan, facts: FleetFacts, joinTarget: HealthyMember | undefined) => string[];
}

export interface UpResult {
  report: RunReport;
  plan?: Plan;
  verify?: VerifyResult;
}

class HostGone extends Error {}

export async function runUp(inventory: Inventory, deps: UpDeps, options: UpOptions = {}): Promise<UpResult> {
  const progress = deps.progress ?? silentProgress;
  const log = deps.logger;
  const concurrency = options.concurrency ?? inventory.cluster.concurrency;
  const recorder = new ReportRecorder(options.command ?? 'up', inventory.cluster.name, deps.now);
  const byName = new Map(inventory.hosts.map((h) => [h.name, h]));
  const interrupted = () => deps.signal?.aborted === true;
  installTimeoutMs(); // a bad FLEET_INSTALL_TIMEOUT_MS is exit 2 before anything connects, not a failed host later

  // 0. What the inventory alone already refuses (an even server count, no server) is refused
  // before connecting: facts can add existing members but never fix such an inventory.
  refuseInvalidPlanBeforeConnecting(inventory);

  // 1–2. Facts on every host, and the disk gate's measurement on every would-be new server.
  const facts = await gatherFleetFacts(inventory, deps, { concurrency, diskProbe: options.diskProbe });
  if (interrupted()) throw new InterruptedError('interrupted while gathering facts; nothing was changed');

  // 3. Plan with facts (may refuse: slow disks, even counts, agents holding cluster data), joining
  // new servers to a member whose etcd is healthy now, not blindly to the first server.
  const joinTarget = await findHealthyMember(joinTargetCandidates(inventory.hosts.map((h) => h.name), facts), deps.transportFor);
  const plan = makePlan(inventory, facts, joinTarget ? { joinTarget: joinTarget.name } : {});
  const planChecks = options.checkPlan?.(plan, facts, joinTarget) ?? [];
  // That a cluster already runs is news in `fleet plan`, not at the end of every converging run.
  for (const w of plan.warnings) if (w.code !== 'existing-cluster') recorder.warnings.push(w.message);
  recorder.warnings.push(...planChecks);
  for (const h of plan.hosts) {
    if (h.reason === 'auto:slow-disk') recorder.warnings.push(`${h.name} was not made a server: ${h.fsyncP99Ms !== undefined ? `fdatasync p99 ${h.fsyncP99Ms} ms is over the ${inventory.cluster.disk.maxFsyncP99Ms} ms limit` : `its disk could not be measured (${facts.get(h.name)?.diskError ?? 'no figures'})`}; it joins as an agent`);
  }
  const planned = new Map(plan.hosts.map((h) => [h.name, h]));
  const reports = new Map(plan.hosts.map((h) => [h.name, recorder.host(h.name, h.role)]));
  for (const [name, report] of reports) {
    const hostFacts = facts.get(name);
    if (hostFacts?.arch) report.arch = hostFacts.arch;
    if (hostFacts?.disk) {
      report.diskP99Ms = hostFacts.disk.p99Ms;
      report.diskSamples = hostFacts.disk.samples;
    }
  }

  // 4. Preflight: a server with a problem stops the run before any change; an agent drops out.
  // With a healthy cluster running, an unreachable server is left out (reported as failed) instead
  // of blocking everyone else: the survivors keep quorum and new hosts join them.
  const serverProblems: string[] = [];
  let serverUnreachable = false;
  for (const host of plan.hosts) {
    const result = preflight(byName.get(host.name)!, host.role, facts.get(host.name));
    for (const w of result.warnings) recorder.warnings.push(`${host.name}: ${w}`);
    if (result.problems.length === 0) continue;
    const text = result.problems.join('; ');
    recorder.fail(reports.get(host.name)!, text);
    progress.update(host.name, text, 'failed');
    if (host.role === 'server' && joinTarget && !facts.get(host.name)?.reachable) {
      recorder.warnings.push(`${host.name} is unreachable and was left out; the cluster runs on without it`);
      continue;
    }
    if (host.role === 'server') {
      serverProblems.push(`${host.name}: ${text}`);
      if (!facts.get(host.name)?.reachable) serverUnreachable = true;
    }
  }
  if (serverProblems.length > 0) {
    const message = `nothing was changed: ${serverProblems.length === 1 ? 'a server' : `${serverProblems.length} servers`} failed preflight\n  ${serverProblems.join('\n  ')}`;
    if (serverUnreachable) throw new PreflightFailed(message, recorder.finish(ExitCode.hostFailed));
    throw new SafetyError(message, 'fix the hosts above and run fleet up again');
  }

  const failed = (name: string) => reports.get(name)!.outcome === 'failed';
  // 5. The token: inventory, the running cluster's, stored, or new. Checked against members.
  const members = plan.hosts.filter((h) => h.role === 'server' && isExistingServer(facts.get(h.name))).map((h) => h.name);
  const convergedWith = (host: PlannedHost, candidate: string) => alreadyConverged(host, facts.get(host.name), inventory.cluster, candidate);
  const installsNothingWith = (candidate: string) => plan.hosts.every((h) => failed(h.name) || convergedWith(h, candidate)) && !plan.convertToEtcd;
  const { token, source } = await resolveToken(inventory, members, facts, deps.transportFor, statePaths(inventory).token, { installsNothingWith });
  log?.info({ tokenSource: source }, 'token resolved');

  // 5b. Members of re-imaged hosts are removed (confirmed, quorum permitting) before they rejoin.
  const clusterChanges: string[] = [];
  if (joinTarget && plan.joiningServers.length > 0) {
    const joining = plan.joiningServers.map((n) => planned.get(n)!);
    clusterChanges.push(...(await removeStaleMembers(joinTarget, joining, facts, deps.transportFor, { yes: options.yes, confirm: deps.confirm })));
    for (const change of clusterChanges) {
      log?.info({ change }, 'cluster changed');
      progress.note(change);
    }
  }

  const install = async (host: PlannedHost) => {
    const transport = await deps.transportFor(host.name);
    return recorder.step(reports.get(host.name)!, host.role === 'server' ? 'install-server' : 'install-agent', () =>
      // No abort signal here: an install that has started is let finish (or time out), never cut.
      installK3s({ transport, planned: host, facts: facts.get(host.name), cluster: inventory.cluster, token }),
    );
  };
  const waitServer = async (host: PlannedHost, nodesBefore?: string[]) => {
    const transport = await deps.transportFor(host.name);
    await recorder.step(reports.get(host.name)!, 'wait-ready', async () => {
      const view = await waitForServer(transport, host, { timeoutMs: options.serverTimeoutMs, signal: deps.signal });
      const missing = nodesBefore ? missingAfterConversion(nodesBefore, view) : [];
      if (missing.length > 0) throw new SafetyError(`${host.name} converted to etcd but no longer lists ${missing.join(', ')}; no server joins until they are back`, 'check journalctl -u k3s on it');
    });
  };
  const runHost = async (host: PlannedHost, work: () => Promise<void>) => {
    if (failed(host.name)) throw new HostGone(host.name);
    if (interrupted()) {
      recorder.notStarted.push(host.name);
      throw new InterruptedError('interrupted');
    }
    progress.update(host.name, host.role === 'server' ? 'installing server' : 'installing agent');
    try {
      await work();
      progress.update(host.name, reports.get(host.name)!.outcome === 'changed' ? 'done' : 'no change', 'ok');
    } catch (err) {
      progress.update(host.name, err instanceof Error ? err.message.split('\n')[0]! : String(err), 'failed');
      throw err;
    }
  };

  // 6–7. Servers: the first (or existing members), then each new one alone, each waited for.
  // Agents, `concurrency` at a time, start as soon as the first server is ready (they register
  // with it, or through the registration address): the agent waves overlap the server joins
  // instead of queueing behind them. `agentsWaitFor: all-servers` keeps them behind the last join.
  const serverOrder = [plan.firstServer, ...plan.existingServers, ...plan.joiningServers].filter((n) => !failed(n)).map((n) => planned.get(n)!);
  // A converged server is waited for only when a server after it changes: the next join needs a
  // settled etcd (voter, no learner); a run that changes no server skips the waits altogether.
  const converged = (host: PlannedHost) => convergedWith(host, token);
  const mustWait = (index: number) => !converged(serverOrder[index]!) || serverOrder.slice(index + 1).some((later) => !converged(later)) || serverOrder[index]!.name === plan.convertToEtcd;
  const agents = plan.agents.map((n) => planned.get(n)!);
  let agentsRun: Promise<void> | undefined;
  let registrationRefused: unknown; // the registration address gate's refusal: no agent was started
  const startAgents = () => {
    agentsRun ??= registrationGate(inventory, plan, agents.filter((a) => !failed(a.name) && !converged(a)), deps.transportFor, (text) => recorder.warnings.push(text)).then(
      () => runAgents(agents, concurrency, (host) => runHost(host, async () => void (await install(host))), log),
      (err: unknown) => void (registrationRefused = err),
    );
  };
  let serversOk = true;
  for (const [index, host] of serverOrder.entries()) {
    try {
      await runHost(host, async () => {
        // SQLite → etcd: the nodes it has now must survive the restart with cluster-init.
        const nodesBefore = host.name === plan.convertToEtcd ? await nodesBeforeConversion(await deps.transportFor(host.name)) : undefined;
        // cluster.vip: kube-vip's manifests are in place before K3s starts, so it deploys them.
        if (plan.kubeVip?.host === host.name) await writeManifests(await deps.transportFor(host.name), plan.kubeVip.manifests);
        await install(host);
        if (mustWait(index)) await waitServer(host, nodesBefore);
      });
    } catch (err) {
      if (err instanceof InterruptedError) {
        // The report must say which servers an interrupted run never reached.
        for (const rest of serverOrder.slice(index + 1)) recorder.notStarted.push(rest.name);
        break;
      }
      serversOk = false;
      log?.error({ host: host.name, err: (err as Error).message }, 'server failed');
      if (!(err instanceof HostGone)) recorder.fail(reports.get(host.name)!, (err as Error).message);
      // No further server joins: the cluster must settle (or the host return) first.
      for (const rest of serverOrder.slice(index + 1)) recorder.notStarted.push(rest.name);
      break;
    }
    if (host.name === plan.firstServer && inventory.cluster.agentsWaitFor === 'first-server' && !interrupted()) startAgents();
  }
  const firstOk = !failed(plan.firstServer) && !recorder.notStarted.includes(plan.firstServer);
  if (firstOk && !interrupted()) startAgents();
  if (agentsRun) await agentsRun;
  else for (const a of agents) if (!failed(a.name)) recorder.notStarted.push(a.name);
  if (registrationRefused !== undefined) {
    progress.stop();
    throw registrationRefused;
  }

  // 8. Verify from a ready server: every node Ready, every server a voting member.
  let verify: VerifyResult | undefined;
  let kubeconfigPath: string | undefined;
  if (firstOk && !interrupted()) {
    const server = await deps.transportFor(plan.firstServer);
    const expected = plan.hosts.filter((h) => !failed(h.name) && !recorder.notStarted.includes(h.name));
    progress.note(`verifying ${expected.length} nodes from ${plan.firstServer}`);
    // The kubeconfig read does not depend on the wait: it runs alongside it.
    const kubeconfigRead = fetchKubeconfig(server).then((raw) => ({ raw }), (err: Error) => ({ err }));
    // A run that changed nothing judges the view it read before deciding that (the join target's,
    // moments ago) when it already shows every node Ready; otherwise it waits for the nodes.
    const unchanged = clusterChanges.length === 0 && [...reports.values()].every((r) => r.outcome !== 'changed');
    const earlier = unchanged && joinTarget?.name === plan.firstServer ? checkClusterView(joinTarget.view, expected) : undefined;
    if (earlier && earlier.problems.length === 0) verify = earlier;
    else {
      const waited = await waitForNodes(server, expected, { timeoutMs: options.agentTimeoutMs ?? 180_000, signal: deps.signal });
      for (const [name, why] of waited.notReady) {
        recorder.fail(reports.get(name)!, `not Ready after install: ${why}`);
        progress.update(name, `not Ready: ${why}`, 'failed');
      }
      // The wait's last read already holds nodes, members and health: judged as is, one round trip saved.
      verify = checkClusterView(waited.view, expected.filter((h) => !waited.notReady.has(h.name)));
    }
    for (const problem of verify.problems) {
      recorder.fail(reports.get(problem.host)!, problem.message);
    }
    try {
      const read = await kubeconfigRead;
      if ('err' in read) throw read.err;
      const kubeconfig = rewriteKubeconfig(read.raw, inventory.cluster.name, inventory.cluster.registrationAddress ?? byName.get(plan.firstServer)!.address);
      kubeconfigPath = statePaths(inventory).kubeconfig;
      writeSecretFile(kubeconfigPath, kubeconfig);
      if (options.merge) mergeIntoUserKubeconfig(kubeconfig);
    } catch (err) {
      recorder.warnings.push(`could not fetch the kubeconfig: ${(err as Error).message}`);
    }
  }
  progress.stop();

  const anyFailed = [...reports.values()].some((r) => r.outcome === 'failed') || !serversOk;
  const exitCode = interrupted() ? ExitCode.interrupted : anyFailed ? ExitCode.hostFailed : ExitCode.ok;
  const extra = { ...(kubeconfigPath ? { kubeconfig: kubeconfigPath } : {}), ...(clusterChanges.length > 0 ? { clusterChanges } : {}) };
  return { report: recorder.finish(exitCode, extra), plan, verify };
}

/** Preflight found an unreachable server: exit 1 (a host failed), with the report so far. */
export class PreflightFailed extends FleetError {
  readonly exitCode = ExitCode.hostFailed;
  constructor(message: string, readonly report: RunReport) {
    super(message);
  }
}


/** Agents through a bounded queue; one agent's failure is its own (recorded by runHost), not the run's. */
async function runAgents(agents: PlannedHost[], concurrency: number, run: (host: PlannedHost) => Promise<void>, log: Logger | undefined): Promise<void> {
  const queue = new PQueue({ concurrency });
  await Promise.all(
    agents.map((host) =>
      queue.add(() => run(host)).catch((err: unknown) => {
        if (err instanceof HostGone || err instanceof InterruptedError) return;
        log?.error({ host: host.name, err: (err as Error).message }, 'agent failed');
      }),
    ),
  );
}

function refuseInvalidPlanBeforeConnecting(inventory: Inventory): void {
  try {
    makePlan(inventory);
  } catch (err) {
    if (err instanceof InputError) throw err;
  }
}
