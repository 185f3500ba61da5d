import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { ReportColumn } from "../columns.js";
import type { BatchEncoder } from "./batch-encoder.js";
import type { ReportFormat } from "./report-format.js";
import { snappyCompress } from "./snappy.js";

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

/** Rows per row group: whatever the size of the pages rows come in, so a file's bytes depend on its rows only. */
const ROW_GROUP_ROWS = 10_000;

/** Snappy Parquet, in row groups of ROW_GROUP_ROWS rows (pages are gathered, and cut, to that). */
export function parquetEncoder(columns: readonly ReportColumn[]): BatchEncoder {
  const sink = new ChunkWriter(1 << 20);
  const writer = new ParquetWriter({
    writer: sink,
    // biome-ignore lint/suspicious/noExplicitAny: hyparquet's SchemaElement enums are string literal unions.
    schema: schemaElements(columns) as any,
    codec: "SNAPPY",
    compressors: { SNAPPY: snappyCompress },
    createdBy: "inv-emulator",
  });
  const int64 = columns.map((column) => column.kind === "bigint" || column.kind === "timestamp");
  let held: unknown[][] = columns.map(() => []);
  /** Writes the first `rows` held rows as a row group. */
  const writeGroup = (rows: number) => {
    if (rows === 0) return;
    const columnData = columns.map((column, i) => {
      const values = (held[i] as unknown[]).slice(0, rows);
      return {
        name: column.name,
        data: int64[i] ? values.map((value) => (value === null ? null : BigInt(value as number))) : values,
      };
    });
    held = held.map((values) => values.slice(rows));
    writer.write({ columnData, rowGroupSize: rows });
  };
  return {
    textAsBytes: true,
    write(values) {
      for (let i = 0; i < columns.length; i++) {
        const column = held[i] as unknown[];
        for (const value of values[i] as unknown[]) column.push(value);
      }
      while ((held[0] as unknown[]).length >= ROW_GROUP_ROWS) writeGroup(ROW_GROUP_ROWS);
      return sink.take();
    },
    finish() {
      writeGroup((held[0] as unknown[]).length);
      writer.finish();
      return sink.take();
    },
  };
}

/** Parquet with Snappy (spec §2.9), encoded on a worker thread when the file is larger than one batch. */
export const PARQUET_FORMAT: ReportFormat = {
  fileFormat: "Parquet",
  extension: "parquet",
  contentType: "application/octet-stream",
  fileSchema: parquetSchema,
  createEncoder: parquetEncoder,
  gzip: false,
  decodeOnEncoderThread: false,
};
