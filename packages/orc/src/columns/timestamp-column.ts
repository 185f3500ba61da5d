import { RleV2Encoder } from "../encoding/rle-v2-encoder.js";
import { encodeNanos, encodeTimestampSeconds } from "../encoding/timestamp-nanos.js";
import type { ColumnEncodingMessage } from "../proto/orc-messages.js";
import { StreamKind } from "../proto/orc-messages.js";
import { type OrcTimestamp, toOrcTimestamp } from "../timestamp.js";
import { NullableColumnEncoder, PositionedStream } from "./column-encoder.js";
import { TimestampStatistics } from "./statistics.js";

/**
 * timestamp: DIRECT_V2, DATA = signed RLE v2 of seconds since 2015-01-01 UTC, SECONDARY = unsigned RLE v2 of
 * the encoded nanos (spec/orc.md §3.3, §3.4). The stripe footer's writer_timezone is always "UTC".
 */
export class TimestampColumnEncoder extends NullableColumnEncoder<OrcTimestamp, TimestampStatistics> {
  private data = this.newData();

  private newData() {
    const seconds: PositionedStream = new PositionedStream(StreamKind.DATA, this.codec, () => {
      secondsRle.flush();
      return [0];
    });
    const nanos: PositionedStream = new PositionedStream(StreamKind.SECONDARY, this.codec, () => {
      nanosRle.flush();
      return [0];
    });
    const secondsRle = new RleV2Encoder(seconds.out.sink, true);
    const nanosRle = new RleV2Encoder(nanos.out.sink, false);
    return { seconds, nanos, secondsRle, nanosRle };
  }

  protected convert(value: unknown): OrcTimestamp {
    return toOrcTimestamp(value);
  }

  newStatistics(): TimestampStatistics {
    return new TimestampStatistics();
  }

  protected markGroup(): number[] {
    return [...this.data.seconds.position(), ...this.data.nanos.position()];
  }

  protected writeValue(value: OrcTimestamp, stats: TimestampStatistics): void {
    this.data.secondsRle.write(encodeTimestampSeconds(value.seconds, value.nanos));
    this.data.nanosRle.write(encodeNanos(value.nanos));
    stats.update(value.seconds, value.nanos);
  }

  protected finishValues(): { encoding: ColumnEncodingMessage; streams: PositionedStream[] } {
    this.data.secondsRle.flush();
    this.data.nanosRle.flush();
    const streams = [this.data.seconds, this.data.nanos];
    this.data = this.newData();
    return { encoding: { kind: 2 /* DIRECT_V2 */ }, streams };
  }

  protected activeStreams(): PositionedStream[] {
    return [this.data.seconds, this.data.nanos];
  }

  protected valueBytes(): number {
    return this.data.seconds.out.size + this.data.nanos.out.size;
  }
}
