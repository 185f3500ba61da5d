import { Readable } from "node:stream";
import type { ReportColumn, ReportRow } from "../columns.js";
import { isoTimestamp } from "../iso-timestamp.js";
import { formUrlEncode } from "../key-encoding.js";
import { parallelGzip } from "./parallel-gzip.js";
import type { ReportFormat } from "./report-format.js";

/** Bytes of text handed to gzip at a time (one thread-pool task each). */
const CHUNK_BYTES = 1 << 20;

/**
 * A column's CSV and TSV text for a row: ISO-8601 UTC with milliseconds for timestamps, lower-case booleans,
 * form-URL-encoded keys (spec §2.7), "" when the value does not apply. The kind is looked at once per column,
 * not once per cell (1M rows x 15 columns per report).
 */
function cellText(column: ReportColumn, csv: boolean): (row: ReportRow) => string {
  const { value } = column;
  if (column.kind === "timestamp")
    return (row) => {
      const v = value(row);
      return v === null ? "" : isoTimestamp(v as number);
    };
  if (column.kind === "boolean")
    return (row) => {
      const v = value(row);
      return v === null ? "" : v ? "true" : "false";
    };
  // Form-URL encoding leaves no `"` in a key, and numbers have none: only other strings need CSV's `""`.
  if (column.name === "key")
    return (row) => {
      const v = value(row);
      return v === null ? "" : formUrlEncode(v as string);
    };
  if (column.kind !== "string" || !csv)
    return (row) => {
      const v = value(row);
      return v === null ? "" : String(v);
    };
  return (row) => {
    const v = value(row) as string | null;
    return v === null ? "" : v.includes('"') ? v.replace(/"/g, '""') : v;
  };
}

/** Rows as lines: CSV quotes every field (empty ones too); TSV writes them bare between tabs. */
function delimitedFormat(fileFormat: "CSV" | "TSV"): ReportFormat {
  const csv = fileFormat === "CSV";
  const [open, separator, close] = csv ? ['"', '","', '"\n'] : ["", "\t", "\n"];
  return {
    fileFormat,
    extension: csv ? "csv.gz" : "tsv.gz",
    contentType: "application/octet-stream",
    fileSchema: (columns) => columns.map((c) => c.csvName).join(", "),
    encode(columns, batches) {
      const [first, ...rest] = columns.map((column) => cellText(column, csv));
      const line = (row: ReportRow) => {
        let out = open + (first as (row: ReportRow) => string)(row);
        for (const cell of rest) out += separator + cell(row);
        return out + close;
      };
      /**
       * The text in 1 MiB Buffers, each line written straight into one: concatenating a batch into a string and
       * then Buffer.from(string) made garbage the size of the text twice over (a quarter of a 1M-row run was GC).
       */
      async function* text() {
        let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
        let used = 0;
        for await (const batch of batches) {
          for (const row of batch) {
            const next = line(row);
            // UTF-8 takes at most 3 bytes per UTF-16 code unit.
            if (used + next.length * 3 > buffer.length) {
              if (used > 0) yield buffer.subarray(0, used);
              buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, next.length * 3));
              used = 0;
            }
            used += buffer.write(next, used);
          }
        }
        if (used > 0) yield buffer.subarray(0, used);
      }
      // Gzip runs on the thread pool, a few segments at once, while this thread reads and formats the next rows.
      return Readable.from(parallelGzip(text()));
    },
  };
}

export const CSV_FORMAT = delimitedFormat("CSV");
export const TSV_FORMAT = delimitedFormat("TSV");
