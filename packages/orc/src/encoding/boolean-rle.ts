import type { ByteSink } from "../io/byte-sink.js";
import { ByteRleEncoder } from "./byte-rle.js";

/**
 * Boolean RLE (spec/orc.md §3.5): bits packed MSB-first into bytes, the bytes byte-RLE encoded.
 * Used for PRESENT streams and boolean DATA.
 */
export class BooleanRleEncoder {
  private readonly bytes: ByteRleEncoder;
  private current = 0;
  private bits = 0;

  constructor(sink: ByteSink) {
    this.bytes = new ByteRleEncoder(sink);
  }

  write(value: boolean): void {
    this.current = (this.current << 1) | (value ? 1 : 0);
    if (++this.bits === 8) {
      this.bytes.write(this.current);
      this.current = 0;
      this.bits = 0;
    }
  }

  /**
   * Row-group boundary: ends the byte-RLE group but keeps a partial byte pending, since padding it would insert
   * values. Returns the row-index positions [byte-RLE values to skip = 0, bits to skip in the next byte].
   */
  mark(): number[] {
    this.bytes.flush();
    return [0, this.bits];
  }

  /** End of stream: the last byte is zero-padded in its low bits. */
  finish(): void {
    if (this.bits > 0) {
      this.bytes.write((this.current << (8 - this.bits)) & 0xff);
      this.current = 0;
      this.bits = 0;
    }
    this.bytes.flush();
  }
}
