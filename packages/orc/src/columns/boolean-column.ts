import { BooleanRleEncoder } from "../encoding/boolean-rle.js";
import { OrcError } from "../errors.js";
import type { ColumnEncodingMessage } from "../proto/orc-messages.js";
import { StreamKind } from "../proto/orc-messages.js";
import { NullableColumnEncoder, PositionedStream } from "./column-encoder.js";
import { BooleanStatistics } from "./statistics.js";

/** boolean: DIRECT (not _V2), DATA = boolean RLE of the non-null values (spec/orc.md §3.3). */
export class BooleanColumnEncoder extends NullableColumnEncoder<boolean, BooleanStatistics> {
  private data = this.newData();

  private newData() {
    const stream: PositionedStream = new PositionedStream(StreamKind.DATA, this.codec, () => bits.mark());
    const bits = new BooleanRleEncoder(stream.out.sink);
    return { stream, bits };
  }

  protected convert(value: unknown): boolean {
    if (typeof value === "boolean") return value;
    throw new OrcError("INVALID_VALUE", `Column ${this.type.id} (boolean) needs a boolean, got ${String(value)}`);
  }

  newStatistics(): BooleanStatistics {
    return new BooleanStatistics();
  }

  protected markGroup(): number[] {
    return this.data.stream.position();
  }

  protected writeValue(value: boolean, stats: BooleanStatistics): void {
    this.data.bits.write(value);
    stats.update(value);
  }

  protected finishValues(): { encoding: ColumnEncodingMessage; streams: PositionedStream[] } {
    this.data.bits.finish();
    const streams = [this.data.stream];
    this.data = this.newData();
    return { encoding: { kind: 0 /* DIRECT */ }, streams };
  }

  protected activeStreams(): PositionedStream[] {
    return [this.data.stream];
  }

  protected valueBytes(): number {
    return this.data.stream.out.size;
  }
}
