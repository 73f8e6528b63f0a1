// Coerce-and-check functions for numeric options (yargs `coerce`): the value is refused while the
// command line is parsed, naming the option, the value given and the range allowed.
import { singleValue, valueHint } from './single-value.js';
import { usageError } from './usage-error.js';

export interface Range {
  min: number;
  max: number;
}

/** `--concurrency 4`: a whole number within `range`. */
export function wholeNumber(option: string, range: Range): (raw: unknown) => number | undefined {
  const expected = `a whole number from ${range.min} to ${range.max}`;
  const example = String(Math.min(range.max, Math.max(range.min, 4)));
  return (raw) => {
    if (raw === undefined) return undefined;
    const text = singleValue(option, raw, expected, example);
    const value = /^[+]?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
      throw usageError(`${option} ${JSON.stringify(text)} is not ${expected}`, valueHint(option, expected, text, example));
    }
    return value;
  };
}

const UNIT_SECONDS: Record<string, number> = { '': 1, ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds as `20`, `1.5`, `20s`, `500ms`, `2m` or `1h`, within `range` (in seconds). */
export function parseDurationSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[(match[2] ?? '').toLowerCase()]!;
}

/** `--connect-timeout 20` / `20s` / `2m`: a duration in seconds within `range`. */
export function durationSeconds(option: string, range: Range): (raw: unknown) => number | undefined {
  const expected = `a number of seconds from ${range.min} to ${range.max} (e.g. 20, 20s, 2m)`;
  const example = range.max >= 30 ? '30s' : `${range.max}s`;
  return (raw) => {
    if (raw === undefined) return undefined;
    const text = singleValue(option, raw, expected, example);
    const value = parseDurationSeconds(text);
    if (value === undefined || !(value >= range.min && value <= range.max)) {
      throw usageError(`${option} ${JSON.stringify(text)} is not ${expected}`, valueHint(option, expected, text, example));
    }
    return value;
  };
}
