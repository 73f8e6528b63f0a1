// `npm run bench`: every benchmark of issue #7 on the lab, one after another (they would only
// measure each other if run together on 2 cores), then docs/performance.md and the raw JSON.
// Each benchmark takes its labs down itself, even when it fails.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { benchDiskProbe } from './disk-probe.js';
import { benchFanOut } from './fan-out.js';
import { renderMarkdown, renderUpgradeSection, targets, upgradeTarget, type BenchResults } from './report.js';
import { benchScale } from './scale.js';
import { downActiveLabs } from './support/lab.js';
import { machine } from './support/machine.js';
import { benchUpgrade } from './upgrade.js';

// dist/bench/run.js → the repository root.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench: the lab needs root (namespaces and mounts)');
  const started = performance.now();
  if (process.argv.includes('--only=upgrade')) return upgradeOnly();
  const host = machine();
  console.error(`bench: ${host.nproc} cores, ${host.memoryGiB} GiB, ${host.kernel}, node ${host.node}`);

  const loadAtStart: Record<string, number> = {};
  const mark = (name: string) => (loadAtStart[name] = Math.round(loadavg()[0]! * 100) / 100);
  mark('fan-out');
  const fanOut = await benchFanOut([10, 30, 100], 5);
  mark('scale');
  const scale = await benchScale([10, 50, 100], { concurrency: 20, upReps: 3, noopAgents: 50, noopReps: 3, bigHosts: 200 });
  mark('disk probe');
  const disk = await benchDiskProbe(30, { fast: 5, slow: 2 });
  mark('upgrade');
  const upgrade = await benchUpgrade(50);

  const results: BenchResults = { machine: host, durationMs: performance.now() - started, fanOut, scale, disk, upgrade, loadAtStart };
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, `${host.date.slice(0, 10)}.json`);
  writeFileSync(resultsFile, `${JSON.stringify({ ...results, targets: targets(results) }, null, 2)}\n`);
  const analysis = readFileSync(join(ROOT, 'bench', 'analysis.md'), 'utf8');
  writeFileSync(join(ROOT, 'docs', 'performance.md'), renderMarkdown(results, relative(ROOT, resultsFile), analysis));
  for (const t of targets(results)) console.log(`${t.met ? 'met   ' : 'MISSED'}  ${t.what}: ${t.measured} (target ${t.target})`);
  console.log(`bench: ${Math.round(results.durationMs / 1000)} s; wrote docs/performance.md and ${relative(ROOT, resultsFile)}`);
}

/** `node dist/bench/run.js --only=upgrade`: benchmark 7 alone; prints its section, writes its JSON. */
async function upgradeOnly(): Promise<void> {
  const host = machine();
  const upgrade = await benchUpgrade(50);
  const file = join(ROOT, 'bench', 'results', `${host.date.slice(0, 10)}-upgrade.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ machine: host, upgrade, target: upgradeTarget(upgrade) }, null, 2)}\n`);
  console.log(renderUpgradeSection(upgrade).join('\n'));
  const t = upgradeTarget(upgrade);
  console.log(`${t.met ? 'met   ' : 'MISSED'}  ${t.what}: ${t.measured} (target ${t.target}); wrote ${relative(ROOT, file)}`);
}

// Ctrl-C skips `finally` blocks: take the labs down here, and let a benchmark that fails because
// its lab vanished wait for that before exiting.
let stopping: Promise<void> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, taking the labs down`);
    stopping = downActiveLabs().finally(() => process.exit(130));
  });
}

main().catch(async (err: unknown) => {
  if (stopping) return stopping;
  console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
