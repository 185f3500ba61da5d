import { BooleanDecoder, ByteRleDecoder } from "../decoding/byte-rle-decoder.js";
import type { IntDecoder } from "../decoding/int-decoder.js";
import { decodeNanos } from "../encoding/timestamp-nanos.js";
import { corrupt } from "../errors.js";
import type { ByteReader } from "../io/byte-reader.js";
import { StreamKind } from "../proto/orc-messages.js";
import type { OrcType } from "../schema.js";
import type { OrcTimestamp } from "../timestamp.js";
import { NullableReader } from "./column-reader.js";
import type { StripeStreams } from "./stripe-streams.js";
import { wallClockConverter } from "./timezone.js";

export class BooleanReader extends NullableReader {
  private readonly data: BooleanDecoder;

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.data = new BooleanDecoder(streams.require(type.id, StreamKind.DATA, true));
    const seek = streams.seek(type.id);
    if (seek) this.data.seek(seek.next(), seek.next());
  }

  protected readValues(count: number): unknown[] {
    return this.data.read(count);
  }
}

/** tinyint: byte RLE of two's complement bytes. */
export class TinyIntReader extends NullableReader {
  private readonly data: ByteRleDecoder;

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.data = new ByteRleDecoder(streams.require(type.id, StreamKind.DATA, true));
    const seek = streams.seek(type.id);
    if (seek) this.data.skip(seek.next());
  }

  protected readValues(count: number): unknown[] {
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const b = this.data.next();
      out[i] = b < 128 ? b : b - 256;
    }
    return out;
  }
}

/** smallint, int, bigint and date (days since 1970-01-01): signed integer RLE. */
export class IntegerReader extends NullableReader {
  private readonly data: IntDecoder;

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.data = this.intStream(StreamKind.DATA, true, true);
  }

  protected readValues(count: number): unknown[] {
    const out = new Array<number | bigint>(count);
    for (let i = 0; i < count; i++) out[i] = this.data.next();
    return out;
  }
}

/** float and double: IEEE 754 little-endian, 4 or 8 bytes each. */
export class FloatingReader extends NullableReader {
  private readonly data: ByteReader;

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.data = streams.require(type.id, StreamKind.DATA, true);
  }

  protected readValues(count: number): unknown[] {
    const width = this.type.kind === "float" ? 4 : 8;
    const bytes = this.data.readBytes(count * width);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    return out;
  }
}

/**
 * timestamp: DATA = signed seconds from the writer zone's 2015-01-01, SECONDARY = encoded nanos
 * (spec/orc.md §3.4). Values come back as wall-clock { seconds, nanos }.
 */
export class TimestampReader extends NullableReader {
  private readonly data: IntDecoder;
  private readonly nanos: IntDecoder;
  private readonly toWallClock: (data: number) => number;

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.data = this.intStream(StreamKind.DATA, true, true);
    this.nanos = this.intStream(StreamKind.SECONDARY, false, true);
    this.toWallClock = wallClockConverter(streams.footer.writerTimezone);
  }

  protected readValues(count: number): unknown[] {
    const out = new Array<OrcTimestamp>(count);
    for (let i = 0; i < count; i++) {
      const data = this.data.next();
      const encoded = this.nanos.next();
      if (typeof data !== "number" || typeof encoded !== "number")
        throw corrupt(`Column ${this.type.id}: timestamp out of range`);
      const nanos = decodeNanos(encoded);
      if (nanos > 999_999_999) throw corrupt(`Column ${this.type.id}: timestamp nanos ${nanos} out of range`);
      let seconds = this.toWallClock(data);
      // spec/orc.md §3.4: undo the writer's truncation toward zero for pre-1970 values.
      if (seconds < 0 && nanos > 999_999) seconds -= 1;
      out[i] = { seconds, nanos };
    }
    return out;
  }
}
