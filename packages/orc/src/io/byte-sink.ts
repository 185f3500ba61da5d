/**
 * The one growable byte buffer every encoder writes into (STYLE.md §10: `io/` sink first).
 * Doubling growth keeps appends amortised O(1); `reset()` keeps the allocation for the next stripe.
 */
export class ByteSink {
  private buffer: Buffer;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  writeByte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Appends the UTF-8 bytes of `text` and returns how many bytes that was. */
  writeUtf8(text: string): number {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes (a surrogate pair takes 4 for 2 units).
    this.ensure(text.length * 3);
    const written = this.buffer.write(text, this.length, "utf8");
    this.length += written;
    return written;
  }

  /** Unsigned base-128 varint of a non-negative safe integer (protobuf and ORC varints). */
  writeVarint(value: number): void {
    this.ensure(10);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  /** Unsigned base-128 varint of a 64-bit value held as a non-negative bigint. */
  writeVarintBig(value: bigint): void {
    this.ensure(10);
    let v = value;
    while (v >= 0x80n) {
      this.buffer[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.length++] = Number(v);
  }

  /** A view of the bytes written so far; valid until the next write or reset. */
  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Buffer {
    return Buffer.from(this.view());
  }

  reset(): void {
    this.length = 0;
  }
}
