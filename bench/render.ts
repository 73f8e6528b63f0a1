// Re-render docs/performance.md from a results file, e.g. after editing bench/analysis.md:
// `node dist/bench/render.js bench/results/<date>.json`. The figures stay those of that run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, type BenchResults } from './report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const file = process.argv[2];
if (!file) {
  console.error('usage: node dist/bench/render.js bench/results/<date>.json');
  process.exit(2);
}
const results = JSON.parse(readFileSync(resolve(file), 'utf8')) as BenchResults;
const analysis = readFileSync(join(ROOT, 'bench', 'analysis.md'), 'utf8');
writeFileSync(join(ROOT, 'docs', 'performance.md'), renderMarkdown(results, relative(ROOT, resolve(file)), analysis));
console.log('wrote docs/performance.md');
