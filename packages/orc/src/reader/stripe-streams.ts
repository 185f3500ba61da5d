import { corrupt, OrcError } from "../errors.js";
import { ByteReader } from "../io/byte-reader.js";
import { decodeRowIndex, decodeStripeFooter } from "../proto/decode-messages.js";
import {
  ENCODING_KINDS,
  type EncodingKind,
  type RowIndexEntry,
  StreamKind,
  type StripeFooter,
} from "../proto/orc-messages.js";
import { decompress } from "./decompress.js";
import type { FileTail } from "./file-tail.js";

/** Hands out a column's row-index positions one by one, in the order its readers consume them. */
export class PositionCursor {
  private index = 0;

  constructor(
    private readonly positions: readonly number[],
    private readonly column: number,
  ) {}

  next(): number {
    const value = this.positions[this.index++];
    if (value === undefined) throw corrupt(`Row index of column ${this.column} has too few positions`);
    return value;
  }
}

/**
 * The streams of one stripe, located by walking StripeFooter.streams in order from the stripe offset
 * (spec/orc.md §3.1 "Stream offsets"), each checked to stay inside the stripe.
 */
export class StripeStreams {
  readonly footer: StripeFooter;
  readonly rows: number;
  private readonly ranges = new Map<string, { start: number; length: number }>();
  private readonly cursors = new Map<number, PositionCursor>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly tail: FileTail,
    stripeIndex: number,
    /** When set, every stream is opened at this row group's positions instead of its start. */
    private readonly rowGroup?: number,
  ) {
    const info = tail.footer.stripes[stripeIndex];
    if (!info) throw new OrcError("INVALID_OPTION", `Stripe ${stripeIndex} does not exist`);
    this.rows = info.numberOfRows;
    const footerStart = info.offset + info.indexLength + info.dataLength;
    this.footer = decodeStripeFooter(
      decompress(
        bytes.subarray(footerStart, footerStart + info.footerLength),
        tail.codec,
        `StripeFooter ${stripeIndex}`,
      ),
    );
    let position = info.offset;
    for (const stream of this.footer.streams) {
      if (position + stream.length > footerStart) {
        throw corrupt(
          `Stripe ${stripeIndex}: stream kind ${stream.kind} of column ${stream.column} runs past the stripe data`,
        );
      }
      this.ranges.set(`${stream.column}:${stream.kind}`, { start: position, length: stream.length });
      position += stream.length;
    }
    if (this.footer.columns.length < tail.footer.types.length) {
      throw corrupt(
        `Stripe ${stripeIndex} has ${this.footer.columns.length} column encodings for ${tail.footer.types.length} types`,
      );
    }
  }

  encoding(column: number): EncodingKind {
    const kind = ENCODING_KINDS[this.footer.columns[column]?.kind ?? -1];
    if (kind === undefined) throw corrupt(`Column ${column} has an unknown encoding`);
    return kind;
  }

  dictionarySize(column: number): number {
    return this.footer.columns[column]?.dictionarySize ?? 0;
  }

  has(column: number, kind: number): boolean {
    return this.ranges.has(`${column}:${kind}`);
  }

  rowIndex(column: number): RowIndexEntry[] {
    const raw = this.raw(column, StreamKind.ROW_INDEX);
    if (raw === undefined) throw corrupt(`Column ${column} has no ROW_INDEX stream`);
    return decodeRowIndex(decompress(raw, this.tail.codec, `ROW_INDEX of column ${column}`));
  }

  /** The positions cursor of a column when reading one row group, else undefined. */
  seek(column: number): PositionCursor | undefined {
    if (this.rowGroup === undefined) return undefined;
    let cursor = this.cursors.get(column);
    if (!cursor) {
      const entry = this.rowIndex(column)[this.rowGroup];
      if (!entry) throw corrupt(`Column ${column} has no row index entry ${this.rowGroup}`);
      cursor = new PositionCursor(entry.positions, column);
      this.cursors.set(column, cursor);
    }
    return cursor;
  }

  private raw(column: number, kind: number): Uint8Array | undefined {
    const range = this.ranges.get(`${column}:${kind}`);
    return range ? this.bytes.subarray(range.start, range.start + range.length) : undefined;
  }

  /**
   * A reader over a stream's decompressed bytes, or undefined if the stripe lacks it. With `positioned`, the
   * stream's part of the row-index position is consumed: [offset] or [chunk offset, offset in the chunk].
   */
  open(column: number, kind: number, positioned = false): ByteReader | undefined {
    const raw = this.raw(column, kind);
    if (raw === undefined) return undefined;
    const what = `stream kind ${kind} of column ${column}`;
    const cursor = positioned ? this.seek(column) : undefined;
    if (!cursor) return new ByteReader(decompress(raw, this.tail.codec, what), what);
    if (this.tail.codec.kind === "NONE") {
      const offset = cursor.next();
      if (offset > raw.length) throw corrupt(`${what}: row index offset ${offset} is past the stream`);
      return new ByteReader(raw, what, offset);
    }
    const chunk = cursor.next();
    const inner = cursor.next();
    if (chunk > raw.length) throw corrupt(`${what}: row index chunk offset ${chunk} is past the stream`);
    const data = decompress(raw.subarray(chunk), this.tail.codec, what);
    if (inner > data.length) throw corrupt(`${what}: row index offset ${inner} is past the chunk`);
    return new ByteReader(data, what, inner);
  }

  /** Like open(), for streams a column cannot do without. */
  require(column: number, kind: number, positioned = false): ByteReader {
    const reader = this.open(column, kind, positioned);
    if (!reader) throw corrupt(`Column ${column} lacks its stream of kind ${kind}`);
    return reader;
  }
}
