/**
 * Snappy compression of Parquet pages (the raw format of google/snappy's format_description.txt), for
 * hyparquet-writer's `compressors` option. It makes the same choices as hyparquet-writer's own compressor (the
 * reference algorithm: one block, 4-byte hashes, the same table size and skipping), so pages come out byte for
 * byte the same, but it reads 4 bytes at once through a DataView and writes straight into one preallocated
 * array, where hyparquet's goes through a growing ByteWriter a byte at a time. Its compressor was ~1.2 s of the
 * ~4.7 s a 1M-row Parquet report spent encoding; with this one the encoding takes ~3.7 s (scripts/bench/inventory.mjs).
 */

const MAX_TABLE_BITS = 14;
const MAX_OFFSET = 65_535;
/** Inputs shorter than this are one literal; longer ones keep this margin at their end while matching. */
const INPUT_MARGIN = 15;
const tables: Uint32Array[] = [];

const load32 = (view: DataView, at: number) => view.getInt32(at, true);
const hash = (value: number, shift: number) => Math.imul(value, 0x1e35a7bd) >>> shift;

/** A literal: tag 00, its length - 1 in the tag (< 60) or in 1-4 bytes after it, then the bytes. */
function literal(out: Uint8Array, op: number, input: Uint8Array, from: number, length: number): number {
  const n = length - 1;
  if (n < 60) out[op++] = n << 2;
  else {
    const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    out[op++] = (59 + bytes) << 2;
    for (let i = 0; i < bytes; i++) out[op++] = (n >>> (8 * i)) & 0xff;
  }
  if (length < 16) for (let i = 0; i < length; i++) out[op++] = input[from + i] as number;
  else {
    out.set(input.subarray(from, from + length), op);
    op += length;
  }
  return op;
}

/** A copy of 4-64 bytes: tag 01 (length < 12, offset < 2048, 2 bytes) or tag 10 (3 bytes). */
function shortCopy(out: Uint8Array, op: number, offset: number, length: number): number {
  if (length < 12 && offset < 2048) {
    out[op++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 | ((length - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

function copy(out: Uint8Array, op: number, offset: number, length: number): number {
  let left = length;
  while (left >= 68) {
    op = shortCopy(out, op, offset, 64);
    left -= 64;
  }
  if (left > 64) {
    op = shortCopy(out, op, offset, 60);
    left -= 60;
  }
  return shortCopy(out, op, offset, left);
}

export function snappyCompress(input: Uint8Array): Uint8Array {
  const size = input.length;
  // The most a Snappy stream can take: every byte a literal, plus tags (the reference's MaxCompressedLength).
  const out = new Uint8Array(32 + size + Math.floor(size / 6));
  let op = 0;
  for (let rest = size; ; rest >>>= 7) {
    if (rest < 0x80) {
      out[op++] = rest;
      break;
    }
    out[op++] = (rest & 0x7f) | 0x80;
  }
  let nextEmit = 0;
  if (size >= INPUT_MARGIN) {
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    let bits = 1;
    while (1 << bits <= size && bits <= MAX_TABLE_BITS) bits++;
    bits--;
    const shift = 32 - bits;
    tables[bits] ??= new Uint32Array(1 << bits);
    const table = tables[bits] as Uint32Array;
    table.fill(0);
    const ipLimit = size - INPUT_MARGIN;
    let ip = 1;
    let nextHash = hash(load32(view, ip), shift);
    search: for (;;) {
      // Look for a 4-byte match, stepping further the longer none is found.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const at = nextHash;
        nextIp = ip + (skip++ >>> 5);
        if (ip > ipLimit) break search;
        // Past the limit the next round stops before using it (and a DataView read there could overrun).
        nextHash = nextIp <= ipLimit ? hash(load32(view, nextIp), shift) : 0;
        candidate = table[at] as number;
        table[at] = ip;
      } while (ip - candidate > MAX_OFFSET || load32(view, ip) !== load32(view, candidate));

      op = literal(out, op, input, nextEmit, ip - nextEmit);
      // Emit the match, and the ones that follow right after it.
      do {
        const start = ip;
        let matched = 4;
        while (ip + matched < size && input[ip + matched] === input[candidate + matched]) matched++;
        ip += matched;
        op = copy(out, op, start - candidate, matched);
        nextEmit = ip;
        if (ip >= ipLimit) break search;
        table[hash(load32(view, ip - 1), shift)] = ip - 1;
        const at = hash(load32(view, ip), shift);
        candidate = table[at] as number;
        table[at] = ip;
      } while (ip - candidate <= MAX_OFFSET && load32(view, ip) === load32(view, candidate));
      ip++;
      nextHash = hash(load32(view, ip), shift);
    }
  }
  if (nextEmit < size) op = literal(out, op, input, nextEmit, size - nextEmit);
  return out.subarray(0, op);
}
