/** Bytes of text per chunk: one gzip segment (parallel-gzip.ts), and one message from an encoder thread. */
const CHUNK_BYTES = 1 << 20;

/**
 * Lines of text collected into 1 MiB Buffers, each line written straight into one: joining a batch into a string
 * and then Buffer.from(string) made garbage the size of the text twice over (a quarter of a 1M-row CSV report was
 * GC). Each chunk owns its memory, so an encoder thread can transfer it instead of copying.
 */
export class TextChunks {
  private buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private full: Buffer[] = [];

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.seal();
      this.buffer = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, text.length * 3));
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** The chunks filled so far. */
  takeFull(): Buffer[] {
    return this.full.splice(0);
  }

  /** Every byte appended and not yet taken. */
  takeAll(): Buffer[] {
    this.seal();
    return this.takeFull();
  }

  private seal(): void {
    if (this.used === 0) return;
    // A copy of exactly the bytes used, in memory of its own (never a slice of Node's shared pool, which small
    // Buffer.from copies are): the encoder thread can transfer it, and the 1 MiB buffer is not kept alive.
    const chunk = Buffer.allocUnsafeSlow(this.used);
    this.buffer.copy(chunk, 0, 0, this.used);
    this.full.push(chunk);
    this.used = 0;
  }
}
