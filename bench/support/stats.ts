// Spread of repeated measurements: every figure in the report is min / median / max.

export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** "min / median / max" in one unit, for the Markdown table. */
export function formatSpread(s: Spread, unit = 'ms', digits = 0): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(s.min)} / **${f(s.median)}** / ${f(s.max)} ${unit}`;
}

export const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
