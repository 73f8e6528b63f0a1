// Plain-text tables for people (status, reports, lists): columns padded to their widest cell,
// no trailing spaces. A row may be shorter than the header; its missing cells are empty.

export function textTable(rows: string[][], gap = '  '): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      widths
        .map((width, i) => (r[i] ?? '').padEnd(width))
        .join(gap)
        .trimEnd(),
    )
    .join('\n');
}
