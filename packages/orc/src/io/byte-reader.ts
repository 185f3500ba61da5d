import { corrupt } from "../errors.js";

/**
 * A bounds-checked cursor over bytes for the decoder. Every read past the end throws
 * `OrcError("CORRUPT_FILE")`, so a lying length can never turn into a hang or an out-of-range read.
 */
export class ByteReader {
  offset: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.offset = start;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  atEnd(): boolean {
    return this.offset >= this.end;
  }

  private need(count: number): void {
    if (count < 0 || this.offset + count > this.end) {
      throw corrupt(
        `${this.what}: needs ${count} more byte(s) at offset ${this.offset}, only ${this.end - this.offset} left`,
      );
    }
  }

  readByte(): number {
    this.need(1);
    return this.bytes[this.offset++] as number;
  }

  readBytes(count: number): Uint8Array {
    this.need(count);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** Unsigned varint as a number; throws if it needs more than 53 bits. */
  readVarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.readByte();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) throw corrupt(`${this.what}: varint exceeds 2^53 at offset ${this.offset}`);
        return result;
      }
      scale *= 128;
    }
    throw corrupt(`${this.what}: varint longer than 10 bytes at offset ${this.offset}`);
  }

  /** Unsigned varint as a bigint, masked to 64 bits. */
  readVarintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.readByte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw corrupt(`${this.what}: varint longer than 10 bytes at offset ${this.offset}`);
  }
}
