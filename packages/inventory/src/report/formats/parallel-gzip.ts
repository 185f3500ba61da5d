import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import { constants, crc32, deflateRaw, type ZlibOptions } from "node:zlib";

const deflateRawAsync = promisify(deflateRaw) as (input: Buffer, options: ZlibOptions) => Promise<Buffer>;

/** The gzip header zlib writes for createGzip(): deflate, no name, no mtime, OS = Unix. */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** Deflate's window: how far back a match may reach, so how much of the previous segment primes the next. */
const WINDOW = 32 * 1024;

export interface ParallelGzipOptions {
  /** zlib level; default 6, zlib's (and createGzip's) default. */
  level?: number;
  /** Input chunks smaller than this are merged before they are compressed (one thread-pool task each). */
  minSegmentBytes?: number;
  /** Segments being compressed at once; default one per core, at least 2. */
  inFlight?: number;
}

/**
 * Gzip whose deflate work runs on the libuv thread pool, several segments at a time, instead of one stream that
 * is a single thread's job (pigz's scheme, written from the formats' specifications). A CSV report of 1M versions
 * is ~240 MB: gzip -6 of it takes ~4.5 s of one core, longer than scanning and formatting it, so a serial gzip
 * would set the report's time however fast the rest is (scripts/bench/inventory.mjs).
 *
 * The output is one ordinary gzip member that any reader inflates: each segment but the last is raw deflate
 * ending with a sync flush (byte-aligned, not final), primed with the 32 KiB that precede it so that matches may
 * still reach back across the boundary; the last one ends the stream. The trailer's CRC-32 and length cover the
 * whole input. The file is a few bytes per segment larger than a serial gzip of the same level.
 *
 * Input chunks must not be modified after they are yielded: they are compressed asynchronously.
 */
export async function* parallelGzip(
  input: AsyncIterable<Buffer>,
  options: ParallelGzipOptions = {},
): AsyncGenerator<Buffer> {
  const level = options.level ?? 6;
  const minSegmentBytes = options.minSegmentBytes ?? 256 * 1024;
  const inFlight = options.inFlight ?? Math.max(2, availableParallelism());
  // memLevel 9: zlib's larger hash table; at level 6 it compresses report text ~9% faster and no larger.
  const zlibOptions: ZlibOptions = { level, memLevel: 9 };
  const pending: Promise<Buffer>[] = [];
  let dictionary: Buffer | undefined;
  let crc = 0;
  let length = 0;

  const compress = (segment: Buffer, last: boolean) => {
    crc = crc32(segment, crc);
    length += segment.length;
    const task = deflateRawAsync(segment, {
      ...zlibOptions,
      // Room for the whole output: zlib hands each full output buffer to this thread before it goes on, so with
      // the default 16 KiB a segment took ~20 round trips, each waiting for this (busy) thread.
      chunkSize: segment.length + 64 * 1024,
      finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      ...(dictionary ? { dictionary } : {}),
    });
    task.catch(() => {}); // awaited in order below; an earlier failure must not leave this one unhandled
    pending.push(task);
    dictionary =
      segment.length >= WINDOW || !dictionary
        ? segment.subarray(-WINDOW)
        : Buffer.concat([dictionary, segment]).subarray(-WINDOW);
  };

  yield HEADER;
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const chunk of input) {
    held.push(chunk);
    heldBytes += chunk.length;
    if (heldBytes < minSegmentBytes) continue;
    compress(held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held), false);
    held = [];
    heldBytes = 0;
    while (pending.length >= inFlight) yield await (pending.shift() as Promise<Buffer>);
  }
  compress(Buffer.concat(held), true);
  while (pending.length) yield await (pending.shift() as Promise<Buffer>);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  yield trailer;
}
