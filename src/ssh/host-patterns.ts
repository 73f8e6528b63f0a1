// OpenSSH host pattern matching, shared by known_hosts and ~/.ssh/config:
// `*` and `?` wildcards, comma/space separated lists, `!` negation that vetoes the whole list.

/** True when `text` matches one glob pattern (`*` any run, `?` one character), case-insensitively. */
export function matchesWildcard(text: string, pattern: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's').test(text.toLowerCase());
}

/**
 * Match a list of patterns as OpenSSH's match_pattern_list does: a matching negated pattern
 * means "no match" regardless of the others; otherwise any matching positive pattern wins.
 */
export function matchesPatternList(text: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchesWildcard(text, pattern.slice(1))) return false;
    } else if (matchesWildcard(text, pattern)) {
      matched = true;
    }
  }
  return matched;
}
