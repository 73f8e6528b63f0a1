// `fleet token rotate`: facts once, what the servers hold of the token, the pure plan, then the
// engine walks it. Every refusal happens in the plan, before any host changes; --dry-run stops
// after the plan. The new token is kept aside (0600) before K3s gets it, so a killed run resumes.
import { runSteps } from '../../engine/run-steps.js';
import type { Progress } from '../../engine/progress.js';
import type { RunReport } from '../../engine/report.js';
import { stepReport } from '../../engine/step-report.js';
import { tokenFingerprint } from '../../facts/k3s-config.js';
import { gatherFleetFacts } from '../../facts/gather-fleet.js';
import type { Inventory } from '../../inventory/types.js';
import type { Transport } from '../../ssh/transport.js';
import { statePaths } from '../../state/state-paths.js';
import { checkTokenFormat } from '../../token/format.js';
import { keepRotatedToken, rotationTokens, type GivenToken, type RotationTokens } from '../../token/rotation.js';
import { storePendingToken } from '../../token/store.js';
import { tokenRotateHandlers } from './handlers.js';
import { planTokenRotate } from './plan.js';
import { AGENT_LANE } from './steps.js';
import type { TokenRotatePlan } from './types.js';
import { readTokenRotateView } from './view.js';

export interface TokenRotateDeps {
  transportFor: (name: string) => Promise<Transport>;
  progress: Progress;
  /** The error reporter and the run log redact these: both tokens go in as soon as they are known. */
  secrets: string[];
  signal?: AbortSignal;
  now?: () => number;
  confirm?: (plan: TokenRotatePlan) => Promise<void>;
}

export interface TokenRotateOptions {
  dryRun: boolean;
  command: string;
  /** --new-token-file or FLEET_NEW_TOKEN, read before connecting. */
  given?: GivenToken;
  maxUnavailable?: string;
  concurrency: number;
  readyTimeoutMs?: number;
}

export interface TokenRotateResult {
  plan: TokenRotatePlan;
  report?: RunReport;
  /** What the user must still do (a token fleet cannot change), after a finished run. */
  notes: string[];
}

export async function planFleetTokenRotate(inventory: Inventory, deps: TokenRotateDeps, options: TokenRotateOptions, day: string): Promise<{ plan: TokenRotatePlan; tokens: RotationTokens }> {
  const facts = await gatherFleetFacts(
    inventory,
    { transportFor: deps.transportFor, progress: deps.progress, signal: deps.signal },
    { concurrency: Math.max(options.concurrency, 50), measureDisks: false },
  );
  const view = await readTokenRotateView(inventory, facts, deps.transportFor);
  const servers = inventory.hosts.map((h) => h.name).filter((name) => facts.get(name)?.reachable && facts.get(name)?.k3s.role === 'server');
  const tokens = await rotationTokens(inventory, { ...(options.given ? { given: options.given } : {}), servers, transportFor: deps.transportFor, day });
  deps.secrets.push(tokens.newToken, ...(tokens.oldToken !== undefined ? [tokens.oldToken] : []));
  const caHash = [...view.tokenStates.values()].find((s) => s.caHash)?.caHash;
  const plan = planTokenRotate({
    cluster: inventory.cluster.name,
    hosts: inventory.hosts.map((h) => ({ name: h.name, address: h.address })),
    facts,
    tokenStates: view.tokenStates,
    ...(view.etcd ? { etcd: view.etcd } : {}),
    ...(view.liveServer ? { liveServer: view.liveServer } : {}),
    ...(tokens.oldToken !== undefined ? { oldFingerprint: tokenFingerprint(tokens.oldToken) } : {}),
    oldSource: tokens.oldSource,
    newFingerprint: tokenFingerprint(tokens.newToken),
    newFormat: checkTokenFormat(tokens.newToken, caHash),
    newSource: tokens.newSource,
    newTokenGiven: tokens.newGiven,
    local: tokens.local,
    ...(options.maxUnavailable !== undefined ? { maxUnavailable: options.maxUnavailable } : {}),
    concurrency: options.concurrency,
  });
  return { plan, tokens };
}

export async function runTokenRotate(inventory: Inventory, deps: TokenRotateDeps, options: TokenRotateOptions): Promise<TokenRotateResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const day = new Date(started).toISOString().slice(0, 10);
  const { plan, tokens } = await planFleetTokenRotate(inventory, deps, options, day);
  if (options.dryRun) return { plan, notes: [] };
  await deps.confirm?.(plan);
  // Before K3s holds the new token, fleet does: a run killed after the rotation finds it here.
  storePendingToken(statePaths(inventory).token, tokens.newToken);
  for (const host of plan.hosts) deps.progress.update(host.name, host.action === 'none' ? host.reason : `planned: ${host.action}`, host.action === 'none' ? 'skipped' : 'running');
  const handlers = tokenRotateHandlers({
    plan,
    hosts: inventory.hosts.map((h) => ({ name: h.name, address: h.address })),
    newToken: tokens.newToken,
    ...(tokens.oldToken !== undefined ? { oldToken: tokens.oldToken } : {}),
    transportFor: deps.transportFor,
    signal: deps.signal,
    readyTimeoutMs: options.readyTimeoutMs ?? 300_000,
    keepToken: () => keepRotatedToken(tokens.local, tokens, day),
  });
  const runs = await runSteps(plan.steps, {
    handlers,
    laneLimits: { [AGENT_LANE]: plan.maxUnavailable.value },
    signal: deps.signal,
    now,
    onStart: (step) => deps.progress.update(step.host, step.action),
    onFinish: (step, run) => deps.progress.update(step.host, `${step.action}${run.error ? `: ${run.error}` : ''}`, run.outcome === 'failed' ? 'failed' : 'ok'),
  });
  deps.progress.stop();
  const roles = new Map(plan.hosts.map((h) => [h.name, h.role] as const));
  const report = stepReport({ command: options.command, cluster: plan.cluster, startedAt: started, now: now(), runs, roles, warnings: plan.warnings, interrupted: deps.signal?.aborted === true });
  const kept = runs.find((r) => r.action === 'keep-token')?.outcome === 'changed';
  return { plan, report, notes: kept ? finishNotes(plan) : [] };
}

function finishNotes(plan: TokenRotatePlan): string[] {
  const notes = [`every host runs with the new token (${plan.newFingerprint}); snapshots taken before today need the old one (${plan.oldFingerprint}), kept by fleet`];
  if (plan.local.kind === 'inventory') notes.push(`update ${plan.local.where} to the new token (the one in ${plan.newSource.replace(/^--new-token-file /, '')}): fleet cannot change it`);
  return notes;
}
