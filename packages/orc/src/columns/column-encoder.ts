import { BooleanRleEncoder } from "../encoding/boolean-rle.js";
import type { Codec } from "../encoding/out-stream.js";
import { OutStream } from "../encoding/out-stream.js";
import type { ColumnEncodingMessage, ColumnStatistics, RowIndexEntry } from "../proto/orc-messages.js";
import { StreamKind } from "../proto/orc-messages.js";
import type { OrcType } from "../schema.js";
import type { Statistics } from "./statistics.js";

/** A stream of one column in one stripe, ready to be laid out: its chunks are already framed. */
export interface EncodedStream {
  kind: number;
  column: number;
  chunks: Buffer[];
  length: number;
}

/** What a column contributes to a stripe (spec/orc.md §3.3, §3.7). */
export interface ColumnStripe {
  encoding: ColumnEncodingMessage;
  streams: EncodedStream[];
  rowIndex: RowIndexEntry[];
  statistics: Statistics;
}

/**
 * One encoder per column type, behind one interface (STYLE.md: orc-rust/Apache ORC column writers). Values are
 * encoded as they arrive, so a stripe holds encoded (and compressed) bytes, not JS values.
 */
export interface ColumnEncoder {
  readonly type: OrcType;
  /** Bytes held for the current stripe (encoded output, pending raw bytes, dictionaries). */
  readonly heldBytes: number;
  /** Validates and normalizes one value without touching any state; null/undefined give null. */
  prepare(value: unknown): unknown;
  /** Adds a value returned by prepare(). */
  add(prepared: unknown): void;
  /** Row-group boundaries (spec/orc.md §3.7): called before a group's first row and after its last. */
  startGroup(): void;
  endGroup(): void;
  /** Ends the stripe: returns its streams, index entries and statistics, and starts afresh. */
  finishStripe(): ColumnStripe;
  newStatistics(): Statistics;
}

/** A stream plus the value encoder that writes it, able to report its row-index position. */
export class PositionedStream {
  readonly out: OutStream;

  constructor(
    readonly kind: number,
    codec: Codec,
    /** Flushes the value encoder at a row-group boundary and returns its part of the position. */
    private readonly markEncoder: () => number[] = () => [],
  ) {
    this.out = new OutStream(codec);
  }

  /** spec/orc.md §3.7: positions are the stream's (offset, or chunk + offset) then the encoder's. */
  position(): number[] {
    const encoder = this.markEncoder();
    return [...this.out.mark(), ...encoder];
  }

  toEncoded(column: number): EncodedStream {
    const chunks = this.out.finish();
    return { kind: this.kind, column, chunks, length: chunks.reduce((n, c) => n + c.length, 0) };
  }
}

/** A row group of the current stripe: its first row, its positions (excluding PRESENT), its statistics. */
export interface RowGroup {
  start: number;
  positions: number[] | undefined;
  statistics?: ColumnStatistics;
}

/**
 * The shared base: nulls and PRESENT, row groups, statistics. PRESENT is written only when the stripe has a
 * null (spec/orc.md §3.3), so presence is kept as one byte per row and encoded at the end of the stripe, with
 * its positions put in front of each group's own (spec/orc.md §3.7: PRESENT first).
 */
export abstract class NullableColumnEncoder<V, S extends Statistics> implements ColumnEncoder {
  protected present = new Uint8Array(1024);
  protected rows = 0;
  protected nullCount = 0;
  protected groups: RowGroup[] = [];
  private groupStats: S;
  private stripeStats: S;

  constructor(
    readonly type: OrcType,
    protected readonly codec: Codec,
  ) {
    this.groupStats = this.newStatistics();
    this.stripeStats = this.newStatistics();
  }

  /** Validates and normalizes a non-null value; throws OrcError("INVALID_VALUE"). */
  protected abstract convert(value: unknown): V;
  abstract newStatistics(): S;
  /** At a group start: flush value encoders and return the data streams' positions, or undefined to fill later. */
  protected abstract markGroup(): number[] | undefined;
  protected abstract writeValue(value: V, stats: S): void;
  /** At the stripe end: the encoding and the streams after PRESENT (every group's positions now filled). */
  protected abstract finishValues(): { encoding: ColumnEncodingMessage; streams: PositionedStream[] };
  /** Streams being written, to compress full blocks as they fill. */
  protected abstract activeStreams(): PositionedStream[];
  protected abstract valueBytes(): number;

  get heldBytes(): number {
    return this.rows + this.valueBytes();
  }

  prepare(value: unknown): unknown {
    return value === null || value === undefined ? null : this.convert(value);
  }

  startGroup(): void {
    this.groups.push({ start: this.rows, positions: this.markGroup() });
  }

  add(prepared: unknown): void {
    if (this.rows === this.present.length) {
      const grown = new Uint8Array(this.present.length * 2);
      grown.set(this.present);
      this.present = grown;
    }
    // The row counts before its value is written, so a replay started by writeValue() includes it.
    const row = this.rows++;
    if (prepared === null) {
      this.present[row] = 0;
      this.nullCount++;
      this.groupStats.hasNull = true;
    } else {
      this.present[row] = 1;
      this.writeValue(prepared as V, this.groupStats);
    }
    if ((this.rows & 1023) === 0) for (const stream of this.activeStreams()) stream.out.spill();
  }

  endGroup(): void {
    const group = this.groups[this.groups.length - 1];
    if (group) group.statistics = this.groupStats.toMessage();
    this.stripeStats.merge(this.groupStats);
    this.groupStats = this.newStatistics();
  }

  /** Calls `visit(row)` for every non-null row of the stripe and `mark(g)` at the start of each group. */
  protected replay(mark: (group: RowGroup) => void, visit: (row: number) => void): void {
    let next = 0;
    for (let row = 0; row < this.rows; row++) {
      while (next < this.groups.length && (this.groups[next] as RowGroup).start === row)
        mark(this.groups[next++] as RowGroup);
      if (this.present[row] === 1) visit(row);
    }
    while (next < this.groups.length) mark(this.groups[next++] as RowGroup);
  }

  finishStripe(): ColumnStripe {
    const { encoding, streams } = this.finishValues();
    const column = this.type.id;
    const encoded: EncodedStream[] = [];
    const presentPositions = new Map<RowGroup, number[]>();
    if (this.nullCount > 0) {
      const stream: PositionedStream = new PositionedStream(StreamKind.PRESENT, this.codec, () => bits.mark());
      const bits = new BooleanRleEncoder(stream.out.sink);
      let next = 0;
      for (let row = 0; row < this.rows; row++) {
        while (next < this.groups.length && (this.groups[next] as RowGroup).start === row)
          presentPositions.set(this.groups[next++] as RowGroup, stream.position());
        bits.write(this.present[row] === 1);
      }
      bits.finish();
      encoded.push(stream.toEncoded(column));
    }
    for (const stream of streams) encoded.push(stream.toEncoded(column));
    const rowIndex = this.groups.map((group) => ({
      positions: [...(presentPositions.get(group) ?? []), ...(group.positions ?? [])],
      statistics: group.statistics,
    }));
    const statistics = this.stripeStats;
    this.stripeStats = this.newStatistics();
    this.groups = [];
    this.rows = 0;
    this.nullCount = 0;
    return { encoding, streams: encoded, rowIndex, statistics };
  }
}
