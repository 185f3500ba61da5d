import type { Codec } from "../encoding/out-stream.js";
import { RleV2Encoder } from "../encoding/rle-v2-encoder.js";
import { OrcError } from "../errors.js";
import type { ColumnEncodingMessage } from "../proto/orc-messages.js";
import { StreamKind } from "../proto/orc-messages.js";
import type { OrcType } from "../schema.js";
import { NullableColumnEncoder, PositionedStream, type RowGroup } from "./column-encoder.js";
import { StringStatistics } from "./statistics.js";

export type StringEncodingChoice = "auto" | "direct" | "dictionary";

export interface StringColumnOptions {
  encoding: StringEncodingChoice;
  /** Dictionary when distinct / non-null ≤ this (Java ORC's `orc.dictionary.key.threshold`, default 0.8). */
  dictionaryThreshold: number;
  /** Non-null values after which a column already past the threshold goes direct for the rest of the stripe. */
  dictionaryCheckRows: number;
}

/** The dictionary being collected: distinct values in first-seen order, and one id per non-null row. */
class Dictionary {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  readonly bytes: number[] = [];
  rows = new Uint32Array(1024);
  count = 0;
  held = 0;

  add(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
      const length = Buffer.byteLength(value, "utf8");
      this.bytes.push(length);
      this.held += length + 64;
    }
    if (this.count === this.rows.length) {
      const grown = new Uint32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.count++] = id;
    return id;
  }
}

/**
 * string: DICTIONARY_V2 or DIRECT_V2, chosen per column per stripe by the distinct ratio, as ORC writers do
 * (spec/orc.md §3.3). Each stripe starts collecting a dictionary; a column past the threshold after
 * `dictionaryCheckRows` values (keys, version ids, ETags) switches to DIRECT_V2 and writes straight to its streams.
 */
export class StringColumnEncoder extends NullableColumnEncoder<string, StringStatistics> {
  private direct = this.newDirect();
  private dictionary: Dictionary | null = null;

  constructor(
    type: OrcType,
    codec: Codec,
    private readonly options: StringColumnOptions,
  ) {
    super(type, codec);
    this.dictionary = options.encoding === "direct" ? null : new Dictionary();
  }

  private newDirect() {
    const data = new PositionedStream(StreamKind.DATA, this.codec);
    const length: PositionedStream = new PositionedStream(StreamKind.LENGTH, this.codec, () => {
      lengths.flush();
      return [0];
    });
    const lengths = new RleV2Encoder(length.out.sink, false);
    return { data, length, lengths };
  }

  protected convert(value: unknown): string {
    if (typeof value === "string") return value;
    throw new OrcError("INVALID_VALUE", `Column ${this.type.id} (string) needs a string, got ${typeof value}`);
  }

  newStatistics(): StringStatistics {
    return new StringStatistics();
  }

  protected markGroup(): number[] | undefined {
    // While collecting a dictionary nothing is written yet: positions are filled in when the stripe ends.
    return this.dictionary ? undefined : [...this.direct.data.position(), ...this.direct.length.position()];
  }

  private writeDirect(value: string): number {
    const bytes = this.direct.data.out.sink.writeUtf8(value);
    this.direct.lengths.write(bytes);
    return bytes;
  }

  protected writeValue(value: string, stats: StringStatistics): void {
    const dictionary = this.dictionary;
    if (dictionary === null) {
      stats.update(value, this.writeDirect(value));
      return;
    }
    stats.update(value, dictionary.bytes[dictionary.add(value)] as number);
    if (dictionary.count === this.options.dictionaryCheckRows && !this.keepDictionary()) this.switchToDirect();
  }

  private keepDictionary(): boolean {
    const d = this.dictionary;
    if (d === null || d.count === 0) return false;
    return this.options.encoding === "dictionary" || d.values.length <= this.options.dictionaryThreshold * d.count;
  }

  /** Rewrites the values collected so far as DIRECT_V2, recording the positions of the groups begun meanwhile. */
  private switchToDirect(): void {
    const d = this.dictionary as Dictionary;
    this.dictionary = null;
    let next = 0;
    this.replay(
      (group) => {
        group.positions = [...this.direct.data.position(), ...this.direct.length.position()];
      },
      () => this.writeDirect(d.values[d.rows[next++] as number] as string),
    );
  }

  protected finishValues(): { encoding: ColumnEncodingMessage; streams: PositionedStream[] } {
    let result: { encoding: ColumnEncodingMessage; streams: PositionedStream[] };
    if (this.dictionary !== null && this.keepDictionary()) {
      result = this.finishDictionary(this.dictionary);
    } else {
      if (this.dictionary !== null) this.switchToDirect();
      this.direct.lengths.flush();
      result = { encoding: { kind: 2 /* DIRECT_V2 */ }, streams: [this.direct.data, this.direct.length] };
    }
    this.direct = this.newDirect();
    this.dictionary = this.options.encoding === "direct" ? null : new Dictionary();
    return result;
  }

  /**
   * DATA = unsigned RLE v2 of dictionary indexes; DICTIONARY_DATA + LENGTH = the distinct values sorted in UTF-8
   * byte order, as the spec requires (spec/orc.md §3.3 "Dictionary order").
   */
  private finishDictionary(d: Dictionary): { encoding: ColumnEncodingMessage; streams: PositionedStream[] } {
    const encoded = d.values.map((value) => Buffer.from(value, "utf8"));
    const order = encoded.map((_, id) => id).sort((a, b) => Buffer.compare(encoded[a] as Buffer, encoded[b] as Buffer));
    const rank = new Uint32Array(encoded.length);
    order.forEach((id, position) => {
      rank[id] = position;
    });
    const data: PositionedStream = new PositionedStream(StreamKind.DATA, this.codec, () => {
      indexes.flush();
      return [0];
    });
    const indexes = new RleV2Encoder(data.out.sink, false);
    let next = 0;
    this.replay(
      (group: RowGroup) => {
        group.positions = data.position();
      },
      () => {
        indexes.write(rank[d.rows[next++] as number] as number);
        if ((next & 4095) === 0) data.out.spill();
      },
    );
    indexes.flush();
    const length = new PositionedStream(StreamKind.LENGTH, this.codec);
    const dictionaryData = new PositionedStream(StreamKind.DICTIONARY_DATA, this.codec);
    const lengths = new RleV2Encoder(length.out.sink, false);
    for (const id of order) {
      const bytes = encoded[id] as Buffer;
      dictionaryData.out.sink.writeBytes(bytes);
      lengths.write(bytes.length);
    }
    lengths.flush();
    // Java's order: PRESENT, DATA, LENGTH, DICTIONARY_DATA (the AWS sample lists them so).
    return {
      encoding: { kind: 3 /* DICTIONARY_V2 */, dictionarySize: encoded.length },
      streams: [data, length, dictionaryData],
    };
  }

  protected activeStreams(): PositionedStream[] {
    return this.dictionary ? [] : [this.direct.data, this.direct.length];
  }

  protected valueBytes(): number {
    const d = this.dictionary;
    return this.direct.data.out.size + this.direct.length.out.size + (d ? d.held + d.count * 4 : 0);
  }
}
