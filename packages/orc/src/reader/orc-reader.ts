import { OrcError } from "../errors.js";
import type {
  ColumnStatistics,
  CompressionKind,
  Footer,
  Metadata,
  PostScript,
  RowIndexEntry,
  StripeFooter,
  StripeInformation,
} from "../proto/orc-messages.js";
import { formatOrcType, type OrcType } from "../schema.js";
import { createColumnReader } from "./compound-readers.js";
import { type FileTail, readFileTail } from "./file-tail.js";
import { StripeStreams } from "./stripe-streams.js";

/** A decoded row: an object keyed by field name when the root is a struct (always, for files this package writes). */
export type OrcValueRow = Record<string, unknown>;

/**
 * Reads an ORC file held in memory. The tail is parsed and checked on construction; stripes are decoded on
 * demand, one at a time, so iterating `rows()` holds one stripe of values.
 *
 * Values: boolean -> boolean; tinyint/smallint/int/date(days) -> number; bigint -> number, or bigint beyond
 * 2^53; float/double -> number; string/varchar/char -> string; binary -> Uint8Array; timestamp -> OrcTimestamp
 * (wall clock); struct -> object; array -> array; map -> [{ key, value }]; null where absent.
 */
export class OrcReader {
  private readonly tail: FileTail;

  constructor(private readonly bytes: Uint8Array) {
    this.tail = readFileTail(bytes);
  }

  get schema(): OrcType {
    return this.tail.schema;
  }

  /** The Hive type string, e.g. `struct<bucket:string,size:bigint>`. */
  get schemaString(): string {
    return formatOrcType(this.tail.schema);
  }

  get numberOfRows(): number {
    return this.tail.footer.numberOfRows ?? this.stripes.reduce((n, s) => n + s.numberOfRows, 0);
  }

  get compression(): CompressionKind {
    return this.tail.codec.kind;
  }

  get postScript(): PostScript {
    return this.tail.postScript;
  }

  get footer(): Footer {
    return this.tail.footer;
  }

  get metadata(): Metadata | undefined {
    return this.tail.metadata;
  }

  get stripes(): StripeInformation[] {
    return this.tail.footer.stripes;
  }

  /** File-level statistics, one per type id (root first). */
  get statistics(): ColumnStatistics[] {
    return this.tail.footer.statistics;
  }

  stripeFooter(stripe: number): StripeFooter {
    return new StripeStreams(this.bytes, this.tail, stripe).footer;
  }

  rowIndex(stripe: number, column: number): RowIndexEntry[] {
    return new StripeStreams(this.bytes, this.tail, stripe).rowIndex(column);
  }

  /** Every row of one stripe. */
  readStripe(stripe: number): unknown[] {
    const streams = new StripeStreams(this.bytes, this.tail, stripe);
    return createColumnReader(this.tail.schema, streams).read(streams.rows);
  }

  /**
   * The rows of one row group, decoded by seeking every stream to the group's row-index positions the way
   * readers that skip row groups (Trino, Athena, Spark) do. Used to check the positions a writer recorded.
   */
  readRowGroup(stripe: number, group: number): unknown[] {
    const stride = this.tail.footer.rowIndexStride ?? 0;
    if (stride === 0) throw new OrcError("INVALID_OPTION", "This file has no row index");
    const streams = new StripeStreams(this.bytes, this.tail, stripe, group);
    const rows = Math.min(stride, streams.rows - group * stride);
    if (rows <= 0) throw new OrcError("INVALID_OPTION", `Stripe ${stripe} has no row group ${group}`);
    return createColumnReader(this.tail.schema, streams).read(rows);
  }

  /** Every row of the file, stripe by stripe. */
  *rows(): Generator<unknown> {
    for (let i = 0; i < this.stripes.length; i++) yield* this.readStripe(i);
  }
}

/** Decodes a whole file: schema and every row. */
export function readOrc(bytes: Uint8Array): { schema: OrcType; rows: unknown[] } {
  const reader = new OrcReader(bytes);
  return { schema: reader.schema, rows: [...reader.rows()] };
}
