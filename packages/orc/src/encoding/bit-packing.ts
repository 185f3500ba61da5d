import type { ByteSink } from "../io/byte-sink.js";

/**
 * Bit widths and MSB-first bit packing shared by the integer RLE v2 sub-encodings
 * (spec/orc.md §3.5: values of w bits each, big-endian, packed back to back, last byte zero-padded).
 */

const TWO_32 = 2 ** 32;

/** Number of bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitLength(value: number): number {
  if (value < TWO_32) return 32 - Math.clz32(value);
  return 64 - Math.clz32(Math.floor(value / TWO_32));
}

/** Rounds a bit count up to a width the 5-bit width code can express: 1..24, 26, 28, 30, 32, 40, 48, 56, 64. */
export function closestWidth(bits: number): number {
  if (bits <= 1) return 1;
  if (bits <= 24) return bits;
  if (bits <= 32) return bits + (bits & 1);
  return Math.ceil(bits / 8) * 8;
}

/** spec/orc.md §3.5: w ≤ 24 -> w-1; 26 -> 24, 28 -> 25, 30 -> 26, 32 -> 27, 40 -> 28, 48 -> 29, 56 -> 30, 64 -> 31. */
export function encodeWidth(width: number): number {
  if (width <= 24) return width - 1;
  if (width <= 32) return 24 + (width - 26) / 2;
  return 28 + (width - 40) / 8;
}

/** Inverse of encodeWidth. */
export function decodeWidth(code: number): number {
  if (code <= 23) return code + 1;
  if (code <= 27) return 26 + (code - 24) * 2;
  return 40 + (code - 28) * 8;
}

/** Packs values MSB-first into a sink; `finish()` pads the last byte with zero bits. */
export class BitPacker {
  private current = 0;
  private filled = 0;

  constructor(private readonly sink: ByteSink) {}

  /** Writes the low `width` bits (width ≤ 32) of an unsigned value below 2^32. */
  write32(value: number, width: number): void {
    let remaining = width;
    while (remaining > 0) {
      const free = 8 - this.filled;
      if (remaining >= free) {
        const shift = remaining - free;
        const bits = (shift >= 32 ? 0 : value >>> shift) & ((1 << free) - 1);
        this.sink.writeByte(((this.current << free) | bits) & 0xff);
        this.current = 0;
        this.filled = 0;
        remaining = shift;
      } else {
        this.current = (this.current << remaining) | (value & ((1 << remaining) - 1));
        this.filled += remaining;
        remaining = 0;
      }
    }
  }

  /** Writes an unsigned value below 2^53 in `width` bits (width ≤ 64). */
  write(value: number, width: number): void {
    if (width <= 32) {
      this.write32(value >>> 0, width);
      return;
    }
    const high = Math.floor(value / TWO_32);
    this.write32(high, width - 32);
    this.write32(value - high * TWO_32, 32);
  }

  /** Writes an unsigned 64-bit bigint in `width` bits. */
  writeBig(value: bigint, width: number): void {
    if (width <= 32) {
      this.write32(Number(value & 0xffffffffn), width);
      return;
    }
    this.write32(Number((value >> 32n) & 0xffffffffn), width - 32);
    this.write32(Number(value & 0xffffffffn), 32);
  }

  finish(): void {
    if (this.filled > 0) this.sink.writeByte((this.current << (8 - this.filled)) & 0xff);
    this.current = 0;
    this.filled = 0;
  }
}
