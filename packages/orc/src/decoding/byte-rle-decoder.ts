import { corrupt } from "../errors.js";
import type { ByteReader } from "../io/byte-reader.js";

/** Byte RLE reader (spec/orc.md §3.5): control < 0x80 = run of control+3 copies; else 256-control literals. */
export class ByteRleDecoder {
  private run = 0;
  private literal = false;
  private value = 0;

  constructor(private readonly reader: ByteReader) {}

  next(): number {
    if (this.run === 0) {
      const control = this.reader.readByte();
      if (control < 0x80) {
        this.run = control + 3;
        this.literal = false;
        this.value = this.reader.readByte();
      } else {
        this.run = 256 - control;
        this.literal = true;
      }
    }
    this.run--;
    return this.literal ? this.reader.readByte() : this.value;
  }

  skip(count: number): void {
    for (let i = 0; i < count; i++) this.next();
  }
}

/** Boolean RLE reader: byte RLE, then 8 bits per byte, most significant first. */
export class BooleanDecoder {
  private readonly bytes: ByteRleDecoder;
  private current = 0;
  private bitsLeft = 0;

  constructor(reader: ByteReader) {
    this.bytes = new ByteRleDecoder(reader);
  }

  next(): boolean {
    if (this.bitsLeft === 0) {
      this.current = this.bytes.next();
      this.bitsLeft = 8;
    }
    this.bitsLeft--;
    return ((this.current >> this.bitsLeft) & 1) === 1;
  }

  /** Row-index seek: skip whole bytes through the byte RLE, then bits inside the next byte. */
  seek(bytesToSkip: number, bitsToSkip: number): void {
    if (bitsToSkip > 8) throw corrupt(`Row index asks to skip ${bitsToSkip} bits inside a byte`);
    this.bytes.skip(bytesToSkip);
    this.bitsLeft = 0;
    for (let i = 0; i < bitsToSkip; i++) this.next();
  }

  read(count: number): boolean[] {
    const out = new Array<boolean>(count);
    for (let i = 0; i < count; i++) out[i] = this.next();
    return out;
  }
}
