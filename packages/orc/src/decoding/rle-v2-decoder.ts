import { closestWidth, decodeWidth } from "../encoding/bit-packing.js";
import { corrupt } from "../errors.js";
import type { ByteReader } from "../io/byte-reader.js";
import { type IntDecoder, joinWide, normalize, unzigzag } from "./int-decoder.js";

/** 2^0 .. 2^40: the bit accumulator never holds more than 39 bits. */
const POW2 = Array.from({ length: 41 }, (_, i) => 2 ** i);

/**
 * Integer RLE v2 reader: all four sub-encodings (SHORT_REPEAT, DIRECT, PATCHED_BASE, DELTA), as the Apache
 * writers emit all of them (ORCv1.md "Integer Run Length Encoding, version 2"; spec/orc.md §3.5).
 */
export class RleV2Decoder implements IntDecoder {
  private run: (number | bigint)[] = [];
  private index = 0;
  private bits = 0;
  private bitCount = 0;

  constructor(
    private readonly reader: ByteReader,
    private readonly signed: boolean,
  ) {}

  next(): number | bigint {
    if (this.index === this.run.length) this.readRun();
    return this.run[this.index++] as number | bigint;
  }

  skip(count: number): void {
    for (let i = 0; i < count; i++) this.next();
  }

  private readRun(): void {
    const first = this.reader.readByte();
    const kind = first >> 6;
    this.index = 0;
    if (kind === 0) this.run = this.shortRepeat(first);
    else if (kind === 1) this.run = this.direct(first);
    else if (kind === 2) this.run = this.patchedBase(first);
    else this.run = this.delta(first);
    if (this.run.length === 0) throw corrupt("RLE v2 run of length 0");
  }

  private sign(value: number | bigint): number | bigint {
    return this.signed ? unzigzag(value) : value;
  }

  private bytesBigEndian(count: number): number | bigint {
    let v = 0n;
    for (let i = 0; i < count; i++) v = (v << 8n) | BigInt(this.reader.readByte());
    return normalize(v);
  }

  /** Reads `width` (≤ 32) bits MSB-first. */
  private read32(width: number): number {
    while (this.bitCount < width) {
      this.bits = this.bits * 256 + this.reader.readByte();
      this.bitCount += 8;
    }
    this.bitCount -= width;
    const scale = POW2[this.bitCount] as number;
    const value = Math.floor(this.bits / scale);
    this.bits -= value * scale;
    return value;
  }

  private unpack(count: number, width: number): (number | bigint)[] {
    const out = new Array<number | bigint>(count);
    for (let i = 0; i < count; i++)
      out[i] = width <= 32 ? this.read32(width) : joinWide(this.read32(width - 32), this.read32(32));
    // Runs end on a byte boundary.
    this.bits = 0;
    this.bitCount = 0;
    return out;
  }

  private shortRepeat(first: number): (number | bigint)[] {
    const width = ((first >> 3) & 7) + 1;
    const count = (first & 7) + 3;
    const value = this.sign(this.bytesBigEndian(width));
    return new Array(count).fill(value);
  }

  private direct(first: number): (number | bigint)[] {
    const width = decodeWidth((first >> 1) & 0x1f);
    const count = (((first & 1) << 8) | this.reader.readByte()) + 1;
    const values = this.unpack(count, width);
    return this.signed ? values.map(unzigzag) : values;
  }

  /** Base (sign-magnitude, BW bytes) + W-bit offsets, with a patch list adding high bits to outliers. */
  private patchedBase(first: number): (number | bigint)[] {
    const width = decodeWidth((first >> 1) & 0x1f);
    const count = (((first & 1) << 8) | this.reader.readByte()) + 1;
    const third = this.reader.readByte();
    const baseBytes = ((third >> 5) & 7) + 1;
    const patchWidth = decodeWidth(third & 0x1f);
    const fourth = this.reader.readByte();
    const gapWidth = ((fourth >> 5) & 7) + 1;
    const patchCount = fourth & 0x1f;
    let base = BigInt(this.bytesBigEndian(baseBytes));
    const signBit = 1n << BigInt(baseBytes * 8 - 1);
    if (base & signBit) base = -(base & (signBit - 1n));
    const offsets = this.unpack(count, width).map((v) => BigInt(v));
    const entryWidth = closestWidth(gapWidth + patchWidth);
    if (entryWidth > 64) throw corrupt("RLE v2 patch entries wider than 64 bits");
    const patches = this.unpack(patchCount, entryWidth).map((v) => BigInt(v));
    const patchMask = (1n << BigInt(patchWidth)) - 1n;
    let position = 0;
    for (const entry of patches) {
      position += Number(entry >> BigInt(patchWidth));
      const patch = entry & patchMask;
      // A gap of 255 with patch 0 only moves the position on (gaps wider than the gap field).
      if (patch === 0n) continue;
      if (position >= count) throw corrupt("RLE v2 patch points past its run");
      offsets[position] = (offsets[position] as bigint) | (patch << BigInt(width));
    }
    return offsets.map((offset) => normalize(BigInt.asIntN(64, base + offset)));
  }

  /** Base value, signed first delta, then L-2 packed |deltas| in the first delta's direction (W = 0: fixed). */
  private delta(first: number): (number | bigint)[] {
    const code = (first >> 1) & 0x1f;
    const width = code === 0 ? 0 : decodeWidth(code);
    const count = (((first & 1) << 8) | this.reader.readByte()) + 1;
    const base = this.signed ? unzigzag(this.varint()) : this.varint();
    const firstDelta = unzigzag(this.varint());
    const out = new Array<number | bigint>(count);
    out[0] = base;
    if (count === 1) return out;
    const deltas = width === 0 ? null : this.unpack(count - 2, width);
    if (
      typeof base === "number" &&
      typeof firstDelta === "number" &&
      (deltas === null || deltas.every((d) => typeof d === "number"))
    ) {
      let value = base + firstDelta;
      out[1] = value;
      let safe = Number.isSafeInteger(value);
      for (let i = 2; i < count && safe; i++) {
        const step =
          deltas === null ? firstDelta : firstDelta < 0 ? -(deltas[i - 2] as number) : (deltas[i - 2] as number);
        value += step;
        out[i] = value;
        safe = Number.isSafeInteger(value);
      }
      if (safe) return out;
    }
    let value = BigInt(base);
    const d0 = BigInt(firstDelta);
    for (let i = 1; i < count; i++) {
      const step =
        i === 1 || deltas === null
          ? d0
          : d0 < 0n
            ? -BigInt(deltas[i - 2] as number | bigint)
            : BigInt(deltas[i - 2] as number | bigint);
      value = BigInt.asIntN(64, value + step);
      out[i] = normalize(value);
    }
    return out;
  }

  private varint(): number | bigint {
    return normalize(this.reader.readVarintBig());
  }
}
