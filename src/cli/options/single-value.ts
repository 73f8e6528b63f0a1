// yargs turns a repeated option into a list and a bare `--opt` into ''; an option that takes one
// value says so in fleet's words instead.
import { usageError } from './usage-error.js';

export function singleValue(option: string, raw: unknown, expected: string, example = 'VALUE'): string {
  if (Array.isArray(raw)) throw usageError(`${option} is given ${raw.length} times (${raw.map(String).join(', ')})`, `give ${option} once, with ${expected}`);
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (text === '') throw usageError(`${option} needs a value: ${expected}`, `e.g. ${option} ${example}`);
  return text;
}

/** When a value looks like a file, the user probably put the inventory where a value belongs. */
export function looksLikeFile(text: string): boolean {
  return /\.(ya?ml|json)$/i.test(text) || text.includes('/');
}

export function valueHint(option: string, expected: string, text: string, example: string): string {
  if (looksLikeFile(text)) return `${JSON.stringify(text)} looks like a file: ${option} takes ${expected}; the inventory path goes right after the command (fleet <command> <inventory> ${option} …)`;
  return `e.g. ${option} ${example}`;
}
