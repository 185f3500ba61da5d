import type { ReportColumn, ReportValue } from "../columns.js";
import { isoTimestamp } from "../iso-timestamp.js";
import type { BatchEncoder } from "./batch-encoder.js";
import type { ReportFormat } from "./report-format.js";
import { TextChunks } from "./text-chunks.js";

/**
 * CoreWeave's JSON format (spec §3 [U]; DESIGN.md): gzip JSON Lines, one object per row named by the
 * fileSchema names. JSON escapes any key, so keys are written as they are, not URL-encoded; timestamps
 * are ISO-8601 strings and values that do not apply are null.
 */
export function jsonLinesEncoder(columns: readonly ReportColumn[]): BatchEncoder {
  const timestamps = columns.map((column) => column.kind === "timestamp");
  const chunks = new TextChunks();
  return {
    textAsBytes: false,
    write(values, rows) {
      for (let r = 0; r < rows; r++) {
        const record: Record<string, ReportValue> = {};
        for (let c = 0; c < columns.length; c++) {
          const value = (values[c] as ReportValue[])[r] as ReportValue;
          record[(columns[c] as ReportColumn).csvName] =
            timestamps[c] && value !== null ? isoTimestamp(value as number) : value;
        }
        chunks.append(`${JSON.stringify(record)}\n`);
      }
      return chunks.takeFull();
    },
    finish: () => chunks.takeAll(),
  };
}

export const JSON_FORMAT: ReportFormat = {
  fileFormat: "JSON",
  extension: "json.gz",
  contentType: "application/octet-stream",
  fileSchema: (columns) => columns.map((c) => c.csvName).join(", "),
  createEncoder: jsonLinesEncoder,
  gzip: true,
  decodeOnEncoderThread: true,
};
