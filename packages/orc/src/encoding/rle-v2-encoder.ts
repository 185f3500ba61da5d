import type { ByteSink } from "../io/byte-sink.js";
import { BitPacker, bitLength, closestWidth, encodeWidth } from "./bit-packing.js";

/**
 * Integer RLE v2 writer (spec/orc.md §3.5; apache/orc-format ORCv1.md "Integer Run Length Encoding, version 2").
 * Emits SHORT_REPEAT for 3..10 equal values, DELTA for longer runs and for monotonic blocks whose deltas pack
 * smaller than the values, and DIRECT for the rest. PATCHED_BASE is optional for writers and not emitted.
 *
 * Values are JS numbers on the fast path. Anything beyond ±2^52 (whose zigzag would leave the exact range of a
 * double) is held as a bigint, and a block containing one is written as DIRECT through BigInt arithmetic.
 */

const MAX_BLOCK = 512;
const LIMIT = 2 ** 52;

export class RleV2Encoder {
  private readonly values: (number | bigint)[] = [];
  private readonly packer: BitPacker;

  constructor(
    private readonly sink: ByteSink,
    private readonly signed: boolean,
  ) {
    this.packer = new BitPacker(sink);
  }

  write(value: number | bigint): void {
    let v = value;
    if (typeof v === "bigint") {
      if (v >= -LIMIT && v <= LIMIT) v = Number(v);
    } else if (v > LIMIT || v < -LIMIT) {
      v = BigInt(v);
    }
    this.values.push(v);
    if (this.values.length === MAX_BLOCK) this.flush();
  }

  /** Emits everything buffered; the next value starts a new run (row-group boundaries, stream end). */
  flush(): void {
    const values = this.values;
    const n = values.length;
    let i = 0;
    while (i < n) {
      let j = i + 1;
      while (j < n && values[j] === values[i]) j++;
      const run = j - i;
      if (run >= 3) {
        this.writeRun(values[i] as number | bigint, run);
        i = j;
        continue;
      }
      // A literal block reaches up to the next run of 3 equal values.
      let k = i;
      while (k < n && !(k + 2 < n && values[k] === values[k + 1] && values[k] === values[k + 2])) k++;
      this.writeLiterals(values, i, k);
      i = k;
    }
    values.length = 0;
  }

  private zigzag(v: number): number {
    if (!this.signed) return v;
    return v >= 0 ? v * 2 : -v * 2 - 1;
  }

  private zigzagBig(v: bigint): bigint {
    if (!this.signed) return BigInt.asUintN(64, v);
    return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  }

  private writeRun(value: number | bigint, run: number): void {
    if (run <= 10 || typeof value === "bigint") {
      for (let left = run; left > 0; ) {
        const count = left >= 3 ? Math.min(left, 10) : left;
        if (count < 3) this.writeDirect(new Array(count).fill(value), 0, count);
        else this.writeShortRepeat(value, count);
        left -= count;
      }
      return;
    }
    this.writeDelta(value, 0, run, 0, 0);
  }

  /** SHORT_REPEAT: 1 header byte `(W-1)<<3 | (count-3)`, then the value in W big-endian bytes. */
  private writeShortRepeat(value: number | bigint, count: number): void {
    const zz = typeof value === "bigint" ? this.zigzagBig(value) : BigInt(this.zigzag(value));
    let width = 1;
    while (width < 8 && zz >> BigInt(width * 8) !== 0n) width++;
    this.sink.writeByte(((width - 1) << 3) | (count - 3));
    for (let b = width - 1; b >= 0; b--) this.sink.writeByte(Number((zz >> BigInt(b * 8)) & 0xffn));
  }

  private writeLiterals(values: (number | bigint)[], start: number, end: number): void {
    const count = end - start;
    let allNumbers = true;
    for (let i = start; i < end; i++) if (typeof values[i] === "bigint") allNumbers = false;
    if (!allNumbers || count < 3) {
      this.writeDirect(values, start, end);
      return;
    }
    // Monotonic? Then DELTA may pack the deltas narrower than DIRECT packs the values.
    let increasing = true;
    let decreasing = true;
    let maxDelta = 0;
    let maxValue = 0;
    const first = values[start] as number;
    const firstDelta = (values[start + 1] as number) - first;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      const zz = this.zigzag(v);
      if (zz > maxValue) maxValue = zz;
      if (i > start) {
        const d = v - (values[i - 1] as number);
        if (d < 0) increasing = false;
        if (d > 0) decreasing = false;
        if (i > start + 1 && Math.abs(d) > maxDelta) maxDelta = Math.abs(d);
      }
    }
    // The decoder takes the direction from the sign of the first delta, so a decreasing block needs it < 0.
    const monotonic = increasing || (decreasing && firstDelta < 0);
    const directWidth = closestWidth(bitLength(maxValue));
    if (monotonic && Math.abs(firstDelta) <= LIMIT) {
      // Width 1 has no code in DELTA (code 0 means "fixed delta"), so packed deltas use at least 2 bits.
      const deltaWidth = allEqualDeltas(values, start, end) ? 0 : Math.max(2, closestWidth(bitLength(maxDelta)));
      if (deltaWidth < directWidth) {
        this.writeDelta(first, firstDelta, count, deltaWidth, start);
        return;
      }
    }
    this.writeDirect(values, start, end, directWidth);
  }

  /**
   * DELTA: header `11 W5 L-1`, base value (zigzag varint if signed), first delta (zigzag varint), then L-2 packed
   * |deltas| of `width` bits; width 0 means every delta equals the first one.
   */
  private writeDelta(base: number, firstDelta: number, count: number, width: number, start: number): void {
    const code = width === 0 ? 0 : encodeWidth(width);
    this.sink.writeByte(0xc0 | (code << 1) | (((count - 1) >> 8) & 1));
    this.sink.writeByte((count - 1) & 0xff);
    this.sink.writeVarint(this.zigzag(base));
    this.sink.writeVarint(firstDelta >= 0 ? firstDelta * 2 : -firstDelta * 2 - 1);
    if (width === 0) return;
    const values = this.values;
    for (let i = start + 2; i < start + count; i++) {
      this.packer.write(Math.abs((values[i] as number) - (values[i - 1] as number)), width);
    }
    this.packer.finish();
  }

  /** DIRECT: header `01 W5 L-1`, then L values (zigzagged if signed) of `width` bits. */
  private writeDirect(values: (number | bigint)[], start: number, end: number, knownWidth?: number): void {
    const count = end - start;
    let width = knownWidth ?? 0;
    if (knownWidth === undefined) {
      let bits = 0;
      for (let i = start; i < end; i++) {
        const v = values[i] as number | bigint;
        const b = typeof v === "bigint" ? this.zigzagBig(v).toString(2).length : bitLength(this.zigzag(v));
        if (b > bits) bits = b;
      }
      width = closestWidth(bits);
    }
    this.sink.writeByte(0x40 | (encodeWidth(width) << 1) | (((count - 1) >> 8) & 1));
    this.sink.writeByte((count - 1) & 0xff);
    for (let i = start; i < end; i++) {
      const v = values[i] as number | bigint;
      if (typeof v === "bigint") this.packer.writeBig(this.zigzagBig(v), width);
      else this.packer.write(this.zigzag(v), width);
    }
    this.packer.finish();
  }
}

function allEqualDeltas(values: (number | bigint)[], start: number, end: number): boolean {
  const d = (values[start + 1] as number) - (values[start] as number);
  for (let i = start + 2; i < end; i++) if ((values[i] as number) - (values[i - 1] as number) !== d) return false;
  return true;
}
