// Last line of defence for secrets: replaces every occurrence of a known secret in text.
export const REDACTED = '<redacted>';

export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length > 0) result = result.split(secret).join(REDACTED);
  }
  return result;
}
