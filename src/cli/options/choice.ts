// One of a fixed list (`--role server`), refused in fleet's words with a did-you-mean.
import { closest } from '../../inventory/did-you-mean.js';
import { singleValue } from './single-value.js';
import { usageError } from './usage-error.js';

export function choice<const T extends readonly string[]>(option: string, values: T): (raw: unknown) => T[number] | undefined {
  const expected = `one of ${values.join(', ')}`;
  return (raw) => {
    if (raw === undefined) return undefined;
    const text = singleValue(option, raw, expected, values[0]);
    if ((values as readonly string[]).includes(text)) return text as T[number];
    const near = closest(text, values);
    throw usageError(`${option} ${JSON.stringify(text)} is not ${expected}`, near ? `did you mean ${option} ${near}?` : `${option} takes ${expected}`);
  };
}

/** A repeatable option (`--host a --host b`): every value non-empty. */
export function nonEmptyList(option: string, what: string): (raw: unknown) => string[] | undefined {
  return (raw) => {
    if (raw === undefined) return undefined;
    const values = (Array.isArray(raw) ? raw : [raw]).map((value) => String(value).trim());
    if (values.length === 0 || values.some((value) => value === '')) throw usageError(`${option} needs a value: ${what}`, `e.g. ${option} NAME (repeatable)`);
    return values;
  };
}

/** An option taking one text value (`--name pi-6`): given once, not empty. */
export function oneText(option: string, what: string): (raw: unknown) => string | undefined {
  return (raw) => (raw === undefined ? undefined : singleValue(option, raw, what));
}
