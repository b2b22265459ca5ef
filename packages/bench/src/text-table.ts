export interface TableOptions {
  /** Right-align every column after the first, as for numbers. Default true. */
  alignRight?: boolean;
}

/** Formats rows as a plain-text table: the first column left-aligned, the others right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  { alignRight = true }: TableOptions = {},
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        column === 0 || !alignRight ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}
