/**
 * East Asian wide and fullwidth characters and emoji take two terminal columns: Hangul Jamo, CJK and Hangul
 * syllables, CJK compatibility, fullwidth forms, emoji, the supplementary ideographic planes.
 */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** Terminal columns a string takes (per code point, so a surrogate pair counts once). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/** `text` cut to at most `width` columns, with `…` when cut; never splits a character. */
function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  for (const char of text) {
    if (displayWidth(out + char) > width - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** A plain-text table of records: the columns given, values cut to `width` terminal columns. */
export function renderTable(records: Record<string, unknown>[], columns: string[], width = 28): string {
  const cell = (value: unknown) => {
    const text =
      value instanceof Date ? value.toISOString() : value === null || value === undefined ? "" : String(value);
    return truncate(text.replace(/[\r\n\t]/g, " "), width);
  };
  const rows = records.map((record) => columns.map((column) => cell(record[column])));
  const widths = columns.map((column, i) =>
    Math.max(displayWidth(column), ...rows.map((row) => displayWidth(row[i] as string))),
  );
  // padEnd counts UTF-16 units, not columns: pad by the display width instead.
  const pad = (text: string, to: number) => text + " ".repeat(Math.max(0, to - displayWidth(text)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] as number))
      .join(" | ")
      .trimEnd();
  return [line(columns), widths.map((w) => "-".repeat(w)).join("-+-"), ...rows.map(line)].join("\n");
}
