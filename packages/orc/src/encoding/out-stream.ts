import { deflateRawSync } from "node:zlib";
import { ByteSink } from "../io/byte-sink.js";

/** Compression settings shared by every stream and section of one file. */
export interface Codec {
  kind: "NONE" | "ZLIB";
  blockSize: number;
  level: number;
}

/**
 * One ORC stream (or metadata section) being written: encoders append raw bytes to `sink`, and the stream
 * frames them into compression chunks (spec/orc.md §3.6). Full blocks are compressed as soon as they fill, so a
 * stream holds at most one block of raw bytes plus its compressed output.
 */
export class OutStream {
  readonly sink = new ByteSink(4096);
  private readonly chunks: Buffer[] = [];
  private written = 0;

  constructor(private readonly codec: Codec) {}

  /** Bytes held: framed output plus pending raw bytes. */
  get size(): number {
    return this.written + this.sink.length;
  }

  /** Compresses every complete block of pending raw bytes; call after a batch of writes. */
  spill(): void {
    if (this.codec.kind === "NONE" || this.sink.length < this.codec.blockSize) return;
    const raw = this.sink.view();
    const full = raw.length - (raw.length % this.codec.blockSize);
    this.compress(raw.subarray(0, full));
    const rest = Buffer.from(raw.subarray(full));
    this.sink.reset();
    this.sink.writeBytes(rest);
  }

  /**
   * Ends the current compression chunk, so the next byte starts a new one, and returns the stream's part of
   * a row-index position: [byte offset] uncompressed, [chunk offset, offset inside the chunk = 0] compressed.
   */
  mark(): number[] {
    if (this.codec.kind === "NONE") return [this.sink.length];
    this.compress(this.sink.view());
    this.sink.reset();
    return [this.written, 0];
  }

  /** The stream's on-disk bytes, as a list of buffers, after the last chunk is framed. */
  finish(): Buffer[] {
    if (this.codec.kind === "NONE") return this.sink.length === 0 ? [] : [this.sink.toBytes()];
    this.compress(this.sink.view());
    this.sink.reset();
    return this.chunks;
  }

  private compress(raw: Buffer): void {
    for (let start = 0; start < raw.length; start += this.codec.blockSize) {
      const chunk = raw.subarray(start, Math.min(raw.length, start + this.codec.blockSize));
      const frame = frameChunk(chunk, this.codec.level);
      this.chunks.push(frame);
      this.written += frame.length;
    }
  }
}

/**
 * spec/orc.md §3.6: raw deflate; 3-byte little-endian header `storedLength * 2 + isOriginal`; keep the original
 * bytes when deflate does not make them smaller.
 */
export function frameChunk(chunk: Uint8Array, level: number): Buffer {
  const deflated = deflateRawSync(chunk, { level });
  const original = deflated.length >= chunk.length;
  const body = original ? chunk : deflated;
  const header = body.length * 2 + (original ? 1 : 0);
  const frame = Buffer.allocUnsafe(3 + body.length);
  frame[0] = header & 0xff;
  frame[1] = (header >> 8) & 0xff;
  frame[2] = (header >> 16) & 0xff;
  frame.set(body, 3);
  return frame;
}

/** Frames a whole section (StripeFooter, Metadata, Footer, ROW_INDEX) with the file's codec. */
export function frameSection(raw: Buffer, codec: Codec): Buffer {
  if (codec.kind === "NONE") return raw;
  const parts: Buffer[] = [];
  for (let start = 0; start < raw.length; start += codec.blockSize) {
    parts.push(frameChunk(raw.subarray(start, start + codec.blockSize), codec.level));
  }
  return Buffer.concat(parts);
}
