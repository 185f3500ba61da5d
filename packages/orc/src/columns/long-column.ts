import { RleV2Encoder } from "../encoding/rle-v2-encoder.js";
import { OrcError } from "../errors.js";
import type { ColumnEncodingMessage } from "../proto/orc-messages.js";
import { StreamKind } from "../proto/orc-messages.js";
import { NullableColumnEncoder, PositionedStream } from "./column-encoder.js";
import { IntegerStatistics } from "./statistics.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** bigint (LONG): DIRECT_V2, DATA = signed RLE v2 (spec/orc.md §3.3). int/smallint would reuse it as is. */
export class LongColumnEncoder extends NullableColumnEncoder<number | bigint, IntegerStatistics> {
  private data = this.newData();

  private newData() {
    const stream: PositionedStream = new PositionedStream(StreamKind.DATA, this.codec, () => {
      rle.flush();
      return [0];
    });
    const rle = new RleV2Encoder(stream.out.sink, true);
    return { stream, rle };
  }

  protected convert(value: unknown): number | bigint {
    if (typeof value === "number") {
      if (Number.isSafeInteger(value)) return value;
      if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return BigInt(value);
    } else if (typeof value === "bigint") {
      if (value >= INT64_MIN && value <= INT64_MAX) return value;
    }
    throw new OrcError(
      "INVALID_VALUE",
      `Column ${this.type.id} (bigint) needs an integer within int64, got ${String(value)}`,
    );
  }

  newStatistics(): IntegerStatistics {
    return new IntegerStatistics();
  }

  protected markGroup(): number[] {
    return this.data.stream.position();
  }

  protected writeValue(value: number | bigint, stats: IntegerStatistics): void {
    this.data.rle.write(value);
    stats.update(value);
  }

  protected finishValues(): { encoding: ColumnEncodingMessage; streams: PositionedStream[] } {
    this.data.rle.flush();
    const streams = [this.data.stream];
    this.data = this.newData();
    return { encoding: { kind: 2 /* DIRECT_V2 */ }, streams };
  }

  protected activeStreams(): PositionedStream[] {
    return [this.data.stream];
  }

  protected valueBytes(): number {
    return this.data.stream.out.size;
  }
}
