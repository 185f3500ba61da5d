/** A plain-text table of records: the columns given, values cut to `width` characters. */
export function renderTable(records: Record<string, unknown>[], columns: string[], width = 28): string {
  const cell = (value: unknown) => {
    const text = value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
    const flat = text.replace(/[\r\n\t]/g, " ");
    return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
  };
  const rows = records.map((record) => columns.map((column) => cell(record[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ").trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("-+-"), ...rows.map(line)].join("\n");
}
