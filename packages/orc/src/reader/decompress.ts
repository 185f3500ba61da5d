import { inflateRawSync } from "node:zlib";
import { corrupt, OrcError } from "../errors.js";
import { COMPRESSION_KINDS, type CompressionKind } from "../proto/orc-messages.js";
import { snappyDecompress } from "./snappy.js";

export interface ReadCodec {
  kind: CompressionKind;
  blockSize: number;
}

export function readCodec(compression: number, blockSize: number | undefined): ReadCodec {
  const kind = COMPRESSION_KINDS[compression];
  if (kind === undefined) throw corrupt(`Unknown compression kind ${compression}`);
  if (kind !== "NONE" && kind !== "ZLIB" && kind !== "SNAPPY") {
    throw new OrcError("UNSUPPORTED", `Compression ${kind} is not supported (NONE, ZLIB and SNAPPY are)`);
  }
  return { kind, blockSize: blockSize ?? 262144 };
}

/**
 * Undoes the chunk framing of spec/orc.md §3.6: 3-byte little-endian header `length * 2 + isOriginal`, then the
 * chunk. Each chunk must fit in the compression block size, which also bounds what one chunk can inflate to.
 */
export function decompress(bytes: Uint8Array, codec: ReadCodec, what: string): Uint8Array {
  if (codec.kind === "NONE") return bytes;
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 3 > bytes.length) throw corrupt(`${what}: truncated compression chunk header at ${pos}`);
    const header = (bytes[pos] as number) | ((bytes[pos + 1] as number) << 8) | ((bytes[pos + 2] as number) << 16);
    pos += 3;
    const length = header >>> 1;
    const original = (header & 1) === 1;
    if (pos + length > bytes.length)
      throw corrupt(`${what}: compression chunk of ${length} bytes overruns its ${bytes.length}-byte section`);
    if (length > codec.blockSize)
      throw corrupt(`${what}: compression chunk of ${length} bytes exceeds the block size ${codec.blockSize}`);
    const chunk = bytes.subarray(pos, pos + length);
    pos += length;
    let raw: Uint8Array;
    if (original) raw = chunk;
    else if (codec.kind === "ZLIB") raw = inflateChunk(chunk, codec.blockSize, what);
    else raw = snappyDecompress(chunk, codec.blockSize);
    parts.push(raw);
    total += raw.length;
  }
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

function inflateChunk(chunk: Uint8Array, blockSize: number, what: string): Uint8Array {
  try {
    return inflateRawSync(chunk, { maxOutputLength: blockSize });
  } catch (error) {
    throw corrupt(`${what}: zlib chunk does not inflate (${(error as Error).message})`);
  }
}
