import { pipeline, Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { ReportColumn, ReportRow, ReportValue } from "../columns.js";
import { formUrlEncode } from "../key-encoding.js";
import type { ReportFormat } from "./report-format.js";

/** CSV and TSV text of a value: ISO-8601 UTC with milliseconds for timestamps, lower-case booleans (spec §2.7). */
function text(column: ReportColumn, value: ReportValue): string {
  if (value === null) return "";
  if (column.kind === "timestamp") return new Date(value as number).toISOString();
  return column.name === "key" ? formUrlEncode(value as string) : String(value);
}

const csvField = (value: string) => `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;

/** Rows as lines: CSV quotes every field (empty ones too); TSV writes them bare between tabs. */
function delimitedFormat(fileFormat: "CSV" | "TSV"): ReportFormat {
  const csv = fileFormat === "CSV";
  const line = (columns: readonly ReportColumn[], row: ReportRow) => {
    let out = "";
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as ReportColumn;
      const value = text(column, column.value(row));
      out += (i ? (csv ? "," : "\t") : "") + (csv ? csvField(value) : value);
    }
    return `${out}\n`;
  };
  return {
    fileFormat,
    extension: csv ? "csv.gz" : "tsv.gz",
    contentType: "application/octet-stream",
    fileSchema: (columns) => columns.map((c) => c.csvName).join(", "),
    encode(columns, batches) {
      async function* lines() {
        for await (const batch of batches) {
          let chunk = "";
          for (const row of batch) chunk += line(columns, row);
          yield Buffer.from(chunk);
        }
      }
      // zlib compresses on the thread pool, so gzip overlaps with reading and formatting the next batch.
      return pipeline(Readable.from(lines()), createGzip(), () => {});
    },
  };
}

export const CSV_FORMAT = delimitedFormat("CSV");
export const TSV_FORMAT = delimitedFormat("TSV");
