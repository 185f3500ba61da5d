import { decodeSnapshotPage, type SnapshotPage } from "@inv-emulator/s3";
import type { ReportColumn, ReportRow, ReportValue } from "../columns.js";

/** A cell as an encoder gets it: a string column's value as UTF-8 bytes when the encoder asks for bytes. */
export type Cell = ReportValue | Uint8Array;
/** A batch's cells, column by column (timestamps and sizes as numbers). */
export type ColumnValues = Cell[][];

/** A synchronous encoder of one data file, fed batch by batch; each call returns the bytes ready so far. */
export interface BatchEncoder {
  /** Whether string cells should come as UTF-8 bytes (Parquet writes bytes; ORC wants strings). */
  readonly textAsBytes: boolean;
  write(values: ColumnValues, rows: number): Buffer[];
  finish(): Buffer[];
}

/**
 * A batch's cells in flat buffers, one entry per column, to hand to a worker thread without copying (the buffers
 * are transferred). Cloning the cells as JS values cost ~0.7 s of a 1M-row report on this thread and ~0.9 s on
 * the worker's (scripts/bench/inventory.mjs); strings crossing as UTF-8 also spare Parquet its own encoding.
 *
 * - string: UTF-8 `bytes`, and per row the end offset of its value in them, NULL_CELL, or SAME_CELL (the same as
 *   the last value: most columns repeat one value, and the encoders are quicker with the very same object);
 * - bigint and timestamp: a Float64Array, NaN for null (sizes and epoch milliseconds are exact in a double);
 * - boolean: a Uint8Array of 0, 1, or 2 for null.
 */
export type PackedColumn = { bytes: Uint8Array; ends: Int32Array } | { numbers: Float64Array } | { flags: Uint8Array };

const NULL_CELL = -1;
const SAME_CELL = -2;
const NULL_FLAG = 2;

function packText(column: ReportColumn, batch: readonly ReportRow[]): PackedColumn {
  const ends = new Int32Array(batch.length);
  let bytes = Buffer.allocUnsafeSlow(64 * batch.length);
  let used = 0;
  let last: string | undefined;
  for (let i = 0; i < batch.length; i++) {
    const value = column.value(batch[i] as ReportRow) as string | null;
    if (value === null) ends[i] = NULL_CELL;
    else if (value === last) ends[i] = SAME_CELL;
    else {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (used + 3 * value.length > bytes.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, used + 3 * value.length));
        bytes.copy(grown, 0, 0, used);
        bytes = grown;
      }
      used += bytes.write(value, used);
      ends[i] = used;
      last = value;
    }
  }
  return { bytes: new Uint8Array(bytes.buffer, 0, used), ends };
}

export function packColumns(columns: readonly ReportColumn[], batch: readonly ReportRow[]): PackedColumn[] {
  return columns.map((column) => {
    if (column.kind === "string") return packText(column, batch);
    // Plain loops: TypedArray.from with a mapping function goes through the iterator protocol, ~5x slower.
    if (column.kind === "boolean") {
      const flags = new Uint8Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const value = column.value(batch[i] as ReportRow);
        flags[i] = value === null ? NULL_FLAG : value ? 1 : 0;
      }
      return { flags };
    }
    const numbers = new Float64Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const value = column.value(batch[i] as ReportRow);
      numbers[i] = value === null ? Number.NaN : (value as number);
    }
    return { numbers };
  });
}

/** The buffers to transfer with a packed batch. */
export function packedBuffers(packed: readonly PackedColumn[]): ArrayBuffer[] {
  return packed.map(
    (column) =>
      ("bytes" in column ? column.bytes : "numbers" in column ? column.numbers : column.flags).buffer as ArrayBuffer,
  );
}

export function unpackColumns(packed: readonly PackedColumn[], rows: number, textAsBytes: boolean): ColumnValues {
  return packed.map((column) => {
    const cells = new Array<Cell>(rows);
    if ("numbers" in column) {
      for (let i = 0; i < rows; i++) cells[i] = Number.isNaN(column.numbers[i]) ? null : (column.numbers[i] as number);
    } else if ("flags" in column) {
      for (let i = 0; i < rows; i++) cells[i] = column.flags[i] === NULL_FLAG ? null : column.flags[i] === 1;
    } else {
      const bytes = Buffer.from(column.bytes.buffer, column.bytes.byteOffset, column.bytes.byteLength);
      let start = 0;
      let last: Cell = null;
      for (let i = 0; i < rows; i++) {
        const end = column.ends[i] as number;
        if (end === NULL_CELL) cells[i] = null;
        else if (end === SAME_CELL) cells[i] = last;
        else {
          last = textAsBytes ? bytes.subarray(start, end) : bytes.toString("utf8", start, end);
          cells[i] = last;
          start = end;
        }
      }
    }
    return cells;
  });
}

/** A page's versions as report rows of `bucket`. */
export function reportRows(page: SnapshotPage, bucket: string): ReportRow[] {
  const rows = decodeSnapshotPage(page.json) as ReportRow[];
  // Fresh objects per row: label them rather than copy them (1M rows per report).
  for (const row of rows) row.bucket = bucket;
  return rows;
}

/**
 * A batch's cells as its encoder takes them. Strings as UTF-8 bytes go through the packing, so that they are
 * cut from one buffer per column and repeated values are the very same object, as when they cross threads.
 */
export function columnValues(
  columns: readonly ReportColumn[],
  rows: readonly ReportRow[],
  textAsBytes: boolean,
): ColumnValues {
  if (textAsBytes) return unpackColumns(packColumns(columns, rows), rows.length, true);
  return columns.map((column) => {
    const cells = new Array<Cell>(rows.length);
    for (let i = 0; i < rows.length; i++) cells[i] = column.value(rows[i] as ReportRow);
    return cells;
  });
}
