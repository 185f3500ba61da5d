import { pipeline, Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { ReportColumn, ReportRow } from "../columns.js";
import type { ReportFormat } from "./report-format.js";

/**
 * CoreWeave's JSON format (spec §3 [U]; DESIGN.md): gzip JSON Lines, one object per row named by the
 * fileSchema names. JSON escapes any key, so keys are written as they are, not URL-encoded; timestamps
 * are ISO-8601 strings and values that do not apply are null.
 */
function record(columns: readonly ReportColumn[], row: ReportRow): string {
  const object: Record<string, unknown> = {};
  for (const column of columns) {
    const value = column.value(row);
    object[column.csvName] = column.kind === "timestamp" && value !== null ? new Date(value as number).toISOString() : value;
  }
  return `${JSON.stringify(object)}\n`;
}

export const JSON_FORMAT: ReportFormat = {
  fileFormat: "JSON",
  extension: "json.gz",
  contentType: "application/octet-stream",
  fileSchema: (columns) => columns.map((c) => c.csvName).join(", "),
  encode(columns, batches) {
    async function* lines() {
      for await (const batch of batches) yield Buffer.from(batch.map((row) => record(columns, row)).join(""));
    }
    return pipeline(Readable.from(lines()), createGzip(), () => {});
  },
};
