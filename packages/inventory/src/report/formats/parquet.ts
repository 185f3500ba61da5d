import { Readable } from "node:stream";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { ReportColumn, ReportRow } from "../columns.js";
import type { ReportFormat } from "./report-format.js";

/** Parquet physical types and annotations per column kind (spec §2.9). */
const PARQUET_TYPES = {
  string: { type: "BYTE_ARRAY", converted_type: "UTF8", schema: "binary", note: " (UTF8)" },
  bigint: { type: "INT64", schema: "int64", note: "" },
  boolean: { type: "BOOLEAN", schema: "boolean", note: "" },
  timestamp: { type: "INT64", converted_type: "TIMESTAMP_MILLIS", schema: "int64", note: " (TIMESTAMP_MILLIS)" },
} as const;

/** Bucket and key are required; everything else optional. */
const isRequired = (column: ReportColumn) => column.when === "always";

/** `message s3.inventory { required binary bucket (UTF8); …;}`, ending as the current AWS doc does. */
function parquetSchema(columns: readonly ReportColumn[]): string {
  const fields = columns.map((c) => {
    const t = PARQUET_TYPES[c.kind];
    return `${isRequired(c) ? "required" : "optional"} ${t.schema} ${c.name}${t.note}`;
  });
  return `message s3.inventory { ${fields.join("; ")};}`;
}

function schemaElements(columns: readonly ReportColumn[]) {
  return [
    { name: "s3.inventory", num_children: columns.length },
    ...columns.map((c) => {
      const { type, ...rest } = PARQUET_TYPES[c.kind];
      return {
        name: c.name,
        type,
        ...("converted_type" in rest ? { converted_type: rest.converted_type } : {}),
        repetition_type: isRequired(c) ? "REQUIRED" : "OPTIONAL",
      };
    }),
  ];
}

/** A hyparquet-writer sink that hands its bytes out after each row group instead of growing one buffer. */
class ChunkWriter extends ByteWriter {
  readonly chunks: Buffer[] = [];
  flush(): void {
    this.chunks.push(Buffer.from(this.buffer.slice(0, this.index)));
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
  take(): Buffer[] {
    return this.chunks.splice(0);
  }
}

/** Parquet with Snappy (spec §2.9); each batch becomes one row group. */
export const PARQUET_FORMAT: ReportFormat = {
  fileFormat: "Parquet",
  extension: "parquet",
  contentType: "application/octet-stream",
  fileSchema: parquetSchema,
  encode(columns, batches) {
    async function* bytes() {
      const sink = new ChunkWriter(1 << 20);
      // biome-ignore lint/suspicious/noExplicitAny: hyparquet's SchemaElement enums are string literal unions.
      const writer = new ParquetWriter({ writer: sink, schema: schemaElements(columns) as any, codec: "SNAPPY", createdBy: "inv-emulator" });
      for await (const batch of batches) {
        if (!batch.length) continue;
        const columnData = columns.map((column) => ({
          name: column.name,
          data: batch.map((row) => {
            const value = column.value(row);
            return column.kind === "bigint" || column.kind === "timestamp" ? (value === null ? null : BigInt(value as number)) : value;
          }),
        }));
        await writer.write({ columnData, rowGroupSize: batch.length });
        yield* sink.take();
      }
      await writer.finish();
      yield* sink.take();
    }
    return Readable.from(bytes());
  },
};
