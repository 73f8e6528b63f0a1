// `fleet snapshot save`: facts → a server whose etcd is healthy → plan → steps (K3s saves the
// snapshot on the server; fleet copies it to the controller beside its record) → report.
import type { OperationDeps } from '../../operation-deps.js';
import { join } from 'node:path';
import { runSteps } from '../../../engine/run-steps.js';
import type { StepRun } from '../../../engine/step.js';
import { CommandError, ExitCode, SafetyError } from '../../../errors.js';
import { gatherFleetFacts } from '../../../facts/gather-fleet.js';
import { findLiveServer } from '../../../facts/live-server.js';
import { silentProgress } from '../../../engine/progress.js';
import { ReportRecorder, type RunReport } from '../../../engine/report.js';
import { tokenFingerprint } from '../../../facts/k3s-config.js';
import type { Inventory } from '../../../inventory/types.js';
import { planSnapshotSave } from './plan.js';
import { fetchFile } from './fetch.js';
import { ensureSnapshotDir, writeRecord, type SnapshotRecord } from '../record.js';
import type { Transport } from '../../../ssh/transport.js';
import { saveSnapshot, type SavedSnapshot } from '../../../actions/save-snapshot.js';

/** snapshot save, list and restore take the common deps as they are. */
export type SnapshotDeps = OperationDeps;

export interface SnapshotSaveResult {
  report: RunReport;
  file?: string;
  record?: SnapshotRecord;
}

/** The token file every server keeps: read only to fingerprint it, never kept or shown. */
export async function clusterTokenFingerprint(transport: Transport): Promise<string> {
  const result = await transport.exec('cat /var/lib/rancher/k3s/server/token', { sudo: true, timeoutMs: 20_000 });
  if (result.exitCode !== 0 || result.stdout.trim() === '') throw new CommandError(transport.host, 'read the cluster token', result.exitCode, result.stderr.trim());
  return tokenFingerprint(result.stdout);
}

export async function runSnapshotSave(inventory: Inventory, deps: SnapshotDeps, options: { name?: string; command?: string } = {}): Promise<SnapshotSaveResult> {
  const progress = deps.progress ?? silentProgress;
  const recorder = new ReportRecorder(options.command ?? 'snapshot save', inventory.cluster.name, deps.now);
  const facts = await gatherFleetFacts(inventory, deps, { concurrency: inventory.cluster.concurrency, measureDisks: false });
  const healthy = await findLiveServer(
    inventory.hosts.map((h) => h.name),
    facts,
    deps.transportFor,
  );
  if (!healthy) throw new SafetyError('no server of the cluster has a healthy etcd right now: there is nothing consistent to snapshot', 'check fleet status, and bring a quorum of servers back first');
  const plan = planSnapshotSave(healthy.name, options.name);
  const host = recorder.host(plan.server, 'server');
  const transport = await deps.transportFor(plan.server);
  const dir = ensureSnapshotDir(inventory);
  let saved: SavedSnapshot | undefined;
  let result: { file: string; record: SnapshotRecord } | undefined;
  const runs: StepRun[] = await runSteps(plan.steps, {
    signal: deps.signal,
    now: deps.now,
    onStart: (step) => progress.update(step.host, step.action === 'save-snapshot' ? 'saving an etcd snapshot' : 'copying it to the controller'),
    handlers: {
      'save-snapshot': async () => {
        saved = await recorder.step(host, 'save-snapshot', async () => ({ ...(await saveSnapshot(transport, plan.baseName)), changed: 'snapshot' }));
        return { changed: saved.name };
      },
      'fetch-snapshot': async () => {
        const file = join(dir, saved!.name);
        const copied = await recorder.step(host, 'fetch-snapshot', async () => ({ ...(await fetchFile(transport, saved!.path, file)), changed: 'copied' }));
        const record: SnapshotRecord = {
          name: saved!.name,
          cluster: inventory.cluster.name,
          k3sVersion: facts.get(plan.server)?.k3s.version ?? 'unknown',
          server: plan.server,
          takenAt: new Date((deps.now ?? Date.now)()).toISOString(),
          size: copied.size,
          sha256: copied.sha256,
          tokenFingerprint: await clusterTokenFingerprint(transport),
          nodes: (healthy.view.nodes ?? []).map((n) => n.name).sort(),
        };
        writeRecord(file, record);
        result = { file, record };
        return { changed: file };
      },
    },
  });
  progress.stop();
  const failed = runs.some((r) => r.outcome === 'failed');
  const report = recorder.finish(deps.signal?.aborted ? ExitCode.interrupted : failed ? ExitCode.hostFailed : ExitCode.ok);
  report.steps = runs;
  return { report, ...(result ?? {}) };
}
