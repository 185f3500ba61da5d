import { corrupt } from "../errors.js";

/**
 * Raw Snappy decompression (the block format of google/snappy's format_description.txt), needed because some
 * Apache example files are SNAPPY-compressed. Every length and offset is checked against the buffers.
 */
export function snappyDecompress(input: Uint8Array, maxLength: number): Uint8Array {
  let pos = 0;
  const byte = (): number => {
    if (pos >= input.length) throw corrupt("Snappy: input ends early");
    return input[pos++] as number;
  };
  // Preamble: uncompressed length as a varint.
  let length = 0;
  for (let shift = 1; ; shift *= 128) {
    const b = byte();
    length += (b & 0x7f) * shift;
    if ((b & 0x80) === 0) break;
    if (shift > 2 ** 28) throw corrupt("Snappy: length varint too long");
  }
  if (length > maxLength) throw corrupt(`Snappy: chunk of ${length} bytes exceeds the block size ${maxLength}`);
  const out = new Uint8Array(length);
  let o = 0;
  while (pos < input.length) {
    const tag = byte();
    const type = tag & 3;
    if (type === 0) {
      let len = (tag >> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        len = 0;
        for (let i = 0; i < extra; i++) len += byte() * 256 ** i;
        len += 1;
      }
      if (pos + len > input.length || o + len > length) throw corrupt("Snappy: literal overruns its buffer");
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | byte();
    } else if (type === 2) {
      len = (tag >> 2) + 1;
      offset = byte() | (byte() << 8);
    } else {
      len = (tag >> 2) + 1;
      offset = (byte() | (byte() << 8) | (byte() << 16)) + byte() * 2 ** 24;
    }
    if (offset === 0 || offset > o || o + len > length) throw corrupt("Snappy: copy points outside the output");
    // Byte by byte: a copy may overlap its own output (offset < len), which repeats a pattern.
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset] as number;
  }
  if (o !== length) throw corrupt(`Snappy: produced ${o} bytes, preamble said ${length}`);
  return out;
}
