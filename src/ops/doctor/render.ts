// doctor's table: one row per check, grouped by section, with the fix under each row that is not ok.
import { textTable } from '../../util/text-table.js';
import type { DoctorReport } from './types.js';

const MARK = { ok: 'ok', warn: 'WARN', fail: 'FAIL' } as const;

export function renderDoctor(report: DoctorReport): string {
  const rows = [['SECTION', 'CHECK', 'HOST', 'STATUS', 'VALUE', 'WHAT IT MEANS']];
  for (const c of report.checks) {
    rows.push([c.section, c.check.replace(`${c.section}.`, ''), c.peer ? `${c.host} → ${c.peer}` : (c.host ?? ''), MARK[c.status], c.value, c.message]);
  }
  const fixes = report.checks.filter((c) => c.status !== 'ok' && c.fix).map((c) => `  ${c.host ?? c.section}${c.peer ? ` → ${c.peer}` : ''} ${c.check}: ${c.fix}`);
  const counts = (['fail', 'warn', 'ok'] as const).map((s) => `${report.checks.filter((c) => c.status === s).length} ${s}`).join(', ');
  const lines = [textTable(rows), '', `${report.cluster}: ${counts}`];
  if (fixes.length > 0) lines.push('', 'fixes:', ...fixes);
  return `${lines.join('\n')}\n`;
}
