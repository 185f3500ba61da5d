import type { ByteReader } from "../io/byte-reader.js";
import { type IntDecoder, normalize } from "./int-decoder.js";

/**
 * Integer RLE v1 (ORCv1.md "Integer Run Length Encoding, version 1"), used by DIRECT/DICTIONARY encodings and
 * format 0.11 files: control 0..127 = run of control+3 values from a varint base with a signed byte delta;
 * control ≥ 128 = 256-control varint literals.
 */
export class RleV1Decoder implements IntDecoder {
  private left = 0;
  private literal = false;
  private value: bigint = 0n;
  private delta = 0n;

  constructor(
    private readonly reader: ByteReader,
    private readonly signed: boolean,
  ) {}

  private varint(): bigint {
    const raw = this.reader.readVarintBig();
    if (!this.signed) return raw;
    return (raw >> 1n) ^ -(raw & 1n);
  }

  next(): number | bigint {
    if (this.left === 0) {
      const control = this.reader.readByte();
      if (control < 0x80) {
        this.left = control + 3;
        this.literal = false;
        const delta = this.reader.readByte();
        this.delta = BigInt(delta < 0x80 ? delta : delta - 256);
        this.value = this.varint() - this.delta;
      } else {
        this.left = 256 - control;
        this.literal = true;
      }
    }
    this.left--;
    if (!this.literal) this.value += this.delta;
    const value = this.literal ? this.varint() : this.value;
    return normalize(this.signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value));
  }

  skip(count: number): void {
    for (let i = 0; i < count; i++) this.next();
  }
}
