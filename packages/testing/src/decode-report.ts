import { gunzipSync } from "node:zlib";
import { type OrcTimestamp, readOrc, timestampToDate } from "@inv-emulator/orc";
import { parquetReadObjects } from "hyparquet";

const isTimestamp = (value: unknown): value is OrcTimestamp =>
  typeof value === "object" && value !== null && "seconds" in value && "nanos" in value;

/** One report row: field name -> value, as the format carries it (strings for CSV/TSV). */
export type ReportRecord = Record<string, unknown>;

/** Form-URL decoding of CSV/TSV keys: `+` is a space, `%XX` are UTF-8 bytes (spec/inventory.md §2.7). */
export function formUrlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

/** Splits one CSV line whose every field is double-quoted (embedded quotes doubled). */
function splitQuotedCsv(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '"') throw new Error(`CSV field not quoted at ${i}: ${line}`);
    let value = "";
    i += 1;
    for (;;) {
      const quote = line.indexOf('"', i);
      if (quote === -1) throw new Error(`unterminated CSV field: ${line}`);
      value += line.slice(i, quote);
      if (line[quote + 1] === '"') {
        value += '"';
        i = quote + 2;
      } else {
        i = quote + 2; // past the closing quote and the comma
        break;
      }
    }
    fields.push(value);
  }
  return fields;
}

function delimitedRecords(bytes: Buffer, names: string[], split: (line: string) => string[]): ReportRecord[] {
  const text = gunzipSync(bytes).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const values = split(line);
      const record: ReportRecord = {};
      names.forEach((name, i) => {
        const value = values[i] ?? "";
        record[name] = name === "Key" ? formUrlDecode(value) : value;
      });
      return record;
    });
}

/**
 * Decodes one data file of a report. CSV and TSV give strings keyed by the fileSchema names, with the
 * key form-URL-decoded; JSON gives its objects; ORC and Parquet give typed values keyed by column name.
 */
export async function decodeDataFile(bytes: Buffer, fileFormat: string, fileSchema: string): Promise<ReportRecord[]> {
  const names = fileSchema.split(",").map((name) => name.trim());
  switch (fileFormat) {
    case "CSV":
      return delimitedRecords(bytes, names, splitQuotedCsv);
    case "TSV":
      return delimitedRecords(bytes, names, (line) => line.split("\t"));
    case "JSON":
      return gunzipSync(bytes)
        .toString("utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as ReportRecord);
    case "ORC":
      // ORC timestamps decode as { seconds, nanos }; tests compare Dates, as Parquet's TIMESTAMP_MILLIS gives.
      return (readOrc(bytes).rows as ReportRecord[]).map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([name, value]) => [name, isTimestamp(value) ? timestampToDate(value) : value]),
        ),
      );
    case "Parquet": {
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return (await parquetReadObjects({ file })) as ReportRecord[];
    }
    default:
      throw new Error(`unknown report format ${fileFormat}`);
  }
}
