import type { ByteSink } from "../io/byte-sink.js";

const MIN_RUN = 3;
const MAX_RUN = 130;
const MAX_LITERALS = 128;

/**
 * Byte RLE (spec/orc.md §3.5): runs of 3..130 equal bytes as `[length-3, byte]`, anything else as
 * literal groups `[256-n, n bytes]` with n = 1..128. Used directly by tinyint and under boolean RLE.
 */
export class ByteRleEncoder {
  private readonly literals = new Uint8Array(MAX_RUN);
  private count = 0;
  private tailRun = 0;
  private repeat = false;

  constructor(private readonly sink: ByteSink) {}

  write(value: number): void {
    if (this.count === 0) {
      this.literals[0] = value;
      this.count = 1;
      this.tailRun = 1;
      return;
    }
    if (this.repeat) {
      if (value === this.literals[0] && this.count < MAX_RUN) {
        this.count++;
        return;
      }
      this.flush();
      this.write(value);
      return;
    }
    this.tailRun = value === this.literals[this.count - 1] ? this.tailRun + 1 : 1;
    if (this.tailRun === MIN_RUN) {
      // The last two literals and this byte start a run: emit what came before them as literals.
      this.count -= MIN_RUN - 1;
      if (this.count > 0) this.emitLiterals();
      this.literals[0] = value;
      this.count = MIN_RUN;
      this.repeat = true;
      return;
    }
    this.literals[this.count++] = value;
    if (this.count === MAX_LITERALS) this.emitLiterals();
  }

  private emitLiterals(): void {
    this.sink.writeByte(256 - this.count);
    this.sink.writeBytes(this.literals.subarray(0, this.count));
    this.count = 0;
    this.tailRun = 0;
  }

  /** Emits everything buffered, so the next byte starts a new group (row-group boundaries, stream end). */
  flush(): void {
    if (this.count === 0) return;
    if (this.repeat) {
      this.sink.writeByte(this.count - MIN_RUN);
      this.sink.writeByte(this.literals[0] as number);
      this.count = 0;
      this.repeat = false;
      this.tailRun = 0;
    } else {
      this.emitLiterals();
    }
  }
}
