import { BooleanDecoder } from "../decoding/byte-rle-decoder.js";
import type { IntDecoder } from "../decoding/int-decoder.js";
import { RleV1Decoder } from "../decoding/rle-v1-decoder.js";
import { RleV2Decoder } from "../decoding/rle-v2-decoder.js";
import { OrcError } from "../errors.js";
import type { ByteReader } from "../io/byte-reader.js";
import { StreamKind } from "../proto/orc-messages.js";
import type { OrcType } from "../schema.js";
import type { StripeStreams } from "./stripe-streams.js";

/** One reader per column type; `read(n)` returns the next n values of the column, null where absent. */
export interface ColumnReader {
  read(count: number): unknown[];
}

/**
 * The shared base: PRESENT handling. Subclasses open their own streams in their constructor, after this one,
 * which is also the order their row-index positions come in (PRESENT first).
 */
export abstract class NullableReader implements ColumnReader {
  private readonly present: BooleanDecoder | undefined;

  constructor(
    readonly type: OrcType,
    protected readonly streams: StripeStreams,
  ) {
    const reader = streams.open(type.id, StreamKind.PRESENT, true);
    if (reader) {
      this.present = new BooleanDecoder(reader);
      const seek = streams.seek(type.id);
      if (seek) this.present.seek(seek.next(), seek.next());
    }
  }

  protected abstract readValues(count: number): unknown[];

  read(count: number): unknown[] {
    if (!this.present) return this.readValues(count);
    const mask = this.present.read(count);
    let nonNull = 0;
    for (const bit of mask) if (bit) nonNull++;
    const values = this.readValues(nonNull);
    const out = new Array<unknown>(count);
    let next = 0;
    for (let i = 0; i < count; i++) out[i] = mask[i] ? values[next++] : null;
    return out;
  }

  /** An integer stream decoder matching the column encoding (v1 for DIRECT/DICTIONARY, v2 for the _V2 kinds). */
  protected intStream(kind: number, signed: boolean, positioned: boolean): IntDecoder {
    const reader = this.streams.require(this.type.id, kind, positioned);
    return this.intDecoder(reader, signed, positioned);
  }

  protected intDecoder(reader: ByteReader, signed: boolean, positioned: boolean): IntDecoder {
    const encoding = this.streams.encoding(this.type.id);
    const decoder = encoding.endsWith("_V2") ? new RleV2Decoder(reader, signed) : new RleV1Decoder(reader, signed);
    const seek = positioned ? this.streams.seek(this.type.id) : undefined;
    if (seek) decoder.skip(seek.next());
    return decoder;
  }

  protected unsupported(what: string): never {
    throw new OrcError("UNSUPPORTED", `Column ${this.type.id} (${this.type.kind}): ${what}`);
  }
}
