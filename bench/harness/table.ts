/** Aligned plain-text tables: first column left, the rest right; `null` rows are group headings. */
export type Row = readonly string[];

export function table(header: Row, rows: readonly (Row | string)[]): string[] {
  const cells = [header, ...rows.filter((row): row is Row => typeof row !== "string")];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: Row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = "-".repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [line(header), rule, ...rows.map((row) => (typeof row === "string" ? row : line(row)))];
}

/** Milliseconds with as many decimals as the noise allows. */
export const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
