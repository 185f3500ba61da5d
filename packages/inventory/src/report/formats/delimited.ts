import type { ReportColumn, ReportValue } from "../columns.js";
import { isoTimestamp } from "../iso-timestamp.js";
import { formUrlEncode } from "../key-encoding.js";
import type { BatchEncoder } from "./batch-encoder.js";
import type { ReportFormat } from "./report-format.js";
import { TextChunks } from "./text-chunks.js";

/**
 * A column's CSV and TSV text: ISO-8601 UTC with milliseconds for timestamps, lower-case booleans,
 * form-URL-encoded keys (spec §2.7), "" when the value does not apply. The kind is looked at once per column,
 * not once per cell (1M rows x 15 columns per report).
 */
function cellText(column: ReportColumn, csv: boolean): (value: ReportValue) => string {
  if (column.kind === "timestamp") return (v) => (v === null ? "" : isoTimestamp(v as number));
  if (column.kind === "boolean") return (v) => (v === null ? "" : v ? "true" : "false");
  // Form-URL encoding leaves no `"` in a key, and numbers have none: only other strings need CSV's `""`.
  if (column.name === "key") return (v) => (v === null ? "" : formUrlEncode(v as string));
  if (column.kind !== "string" || !csv) return (v) => (v === null ? "" : String(v));
  return (v) => (v === null ? "" : (v as string).includes('"') ? (v as string).replace(/"/g, '""') : (v as string));
}

/** Rows as lines: CSV quotes every field (empty ones too); TSV writes them bare between tabs. */
function delimitedEncoder(fileFormat: "CSV" | "TSV") {
  const csv = fileFormat === "CSV";
  const [open, separator, close] = csv ? ['"', '","', '"\n'] : ["", "\t", "\n"];
  return (columns: readonly ReportColumn[]): BatchEncoder => {
    const cells = columns.map((column) => cellText(column, csv));
    const chunks = new TextChunks();
    return {
      textAsBytes: false,
      write(values, rows) {
        for (let r = 0; r < rows; r++) {
          let line = open;
          for (let c = 0; c < cells.length; c++) {
            if (c > 0) line += separator;
            line += (cells[c] as (value: ReportValue) => string)((values[c] as ReportValue[])[r] as ReportValue);
          }
          chunks.append(line + close);
        }
        return chunks.takeFull();
      },
      finish: () => chunks.takeAll(),
    };
  };
}

function delimitedFormat(fileFormat: "CSV" | "TSV"): ReportFormat {
  return {
    fileFormat,
    extension: fileFormat === "CSV" ? "csv.gz" : "tsv.gz",
    contentType: "application/octet-stream",
    fileSchema: (columns) => columns.map((c) => c.csvName).join(", "),
    createEncoder: delimitedEncoder(fileFormat),
    gzip: true,
    decodeOnEncoderThread: true,
  };
}

export const CSV_FORMAT = delimitedFormat("CSV");
export const TSV_FORMAT = delimitedFormat("TSV");
