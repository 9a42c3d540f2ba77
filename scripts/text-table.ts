/** The terminal's aligned tables: columns padded to their widest cell, indented two spaces. */

/** One line per row; the first `leftColumns` columns are left-aligned (names), the rest right-aligned (numbers). */
export function textTable(rows: readonly (readonly string[])[], leftColumns = 1): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => '  ' + r.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}
