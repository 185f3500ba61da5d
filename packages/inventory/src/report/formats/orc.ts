import { pipeline, Readable } from "node:stream";
import { createOrcStream } from "@inv-emulator/orc";
import type { ReportColumn, ReportRow } from "../columns.js";
import type { ReportFormat } from "./report-format.js";

const ORC_TYPES = { string: "string", bigint: "bigint", boolean: "boolean", timestamp: "timestamp" } as const;

/** `struct<bucket:string,key:string,…>` without spaces (spec §2.6). */
function orcSchema(columns: readonly ReportColumn[]): string {
  return `struct<${columns.map((c) => `${c.name}:${ORC_TYPES[c.kind]}`).join(",")}>`;
}

/** ORC with ZLIB (spec §2.8), written by packages/orc; timestamps are UTC instants. */
export const ORC_FORMAT: ReportFormat = {
  fileFormat: "ORC",
  extension: "orc",
  contentType: "application/octet-stream",
  fileSchema: orcSchema,
  encode(columns, batches) {
    async function* rows() {
      for await (const batch of batches) {
        for (const row of batch) {
          const record: Record<string, unknown> = {};
          for (const column of columns) {
            const value = column.value(row);
            record[column.name] = column.kind === "timestamp" && value !== null ? new Date(value as number) : value;
          }
          yield record;
        }
      }
    }
    return pipeline(Readable.from(rows()), createOrcStream({ schema: orcSchema(columns), compression: "ZLIB" }), () => {});
  },
};
