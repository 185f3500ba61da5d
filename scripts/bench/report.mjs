/** The results table: one row per metric, ours in both modes beside s3rver, a reference figure and the target. */

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const fmt = (value, digits) => (value === undefined || value === null ? "-" : value.toFixed(digits));

/**
 * rows: { metric, unit, digits, memory, disk, s3rver, reference, referenceLabel, target, limit(value) -> boolean,
 * higherIsBetter }. The ratio column says how many times better ours is than s3rver (s3rver / ours for costs,
 * ours / s3rver for throughput); PASS needs both of our modes within the limit.
 */
export function renderTable(rows) {
  const header = [
    "metric",
    "ours (memory)",
    "ours (disk)",
    "s3rver",
    "reference",
    "ours better by (mem, disk)",
    "target",
    "result",
  ];
  const lines = rows.map((row) => {
    const better = (ours) => (row.higherIsBetter ? ours / row.s3rver : row.s3rver / ours);
    const ratio = (ours) => (ours && row.s3rver ? `${better(ours).toFixed(1)}x` : "-");
    const verdict = row.limit ? (row.limit(row.memory) && row.limit(row.disk) ? "PASS" : "FAIL") : "info";
    return [
      `${row.metric} (${row.unit})`,
      fmt(row.memory, row.digits),
      fmt(row.disk, row.digits),
      fmt(row.s3rver, row.digits) + (row.s3rverNote ?? ""),
      row.reference === undefined ? "-" : `${fmt(row.reference, row.digits)} ${row.referenceLabel}`,
      `${ratio(row.memory)}, ${ratio(row.disk)}`,
      row.target ?? "-",
      verdict,
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const pad = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [pad(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(pad)].join("\n");
}
