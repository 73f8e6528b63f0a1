// zod carries only a message per issue; fleet's issues also carry a hint. The schema encodes
// both in one string and issues.ts splits them again.

const HINT_SEPARATOR = '\u0000hint:';

export function withHint(message: string, hint?: string): string {
  return hint === undefined ? message : `${message}${HINT_SEPARATOR}${hint}`;
}

export function splitHint(encoded: string): { message: string; hint?: string } {
  const at = encoded.indexOf(HINT_SEPARATOR);
  if (at === -1) return { message: encoded };
  return { message: encoded.slice(0, at), hint: encoded.slice(at + HINT_SEPARATOR.length) };
}

/** A short, safe rendering of a bad value for a message. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
