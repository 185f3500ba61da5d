import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { S3Error } from "../errors/s3-error.js";

/** The S3 "additional checksum" algorithms (x-amz-checksum-*), in the spelling S3 uses on the wire. */
export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Incremental hash; `digest()` (call once) returns the raw bytes (CRCs big-endian); base64 them for headers. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Buffer;
}

function uint32BigEndian(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

function crc32Hasher(): Hasher {
  let value = 0;
  return {
    update: (chunk) => {
      value = crc32(chunk, value);
    },
    digest: () => uint32BigEndian(value),
  };
}

function nodeHasher(name: "sha1" | "sha256"): Hasher {
  const hash = createHash(name);
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    digest: () => hash.digest(),
  };
}

/**
 * Table-driven reflected CRC (init and xorout all ones), slice-by-8, for CRC32C and CRC64NVME.
 * Written here because @aws-sdk/crc64-nvme only has an async digest() and @aws-crypto/crc32c
 * runs at ~100 MB/s. The state is two uint32 halves so one code path serves 32 and 64 bits
 * (for a 32-bit CRC the high half and its tables stay zero). Table k advances a byte k+1 positions.
 */
function crcTables(polyHi: number, polyLo: number): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(256 * 8);
  const lo = new Uint32Array(256 * 8);
  for (let i = 0; i < 256; i++) {
    let h = 0;
    let l = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = ((l >>> 1) | (h << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        h = (h ^ polyHi) >>> 0;
        l = (l ^ polyLo) >>> 0;
      }
    }
    hi[i] = h;
    lo[i] = l;
  }
  for (let i = 256; i < 256 * 8; i++) {
    const h = hi[i - 256] as number;
    const l = lo[i - 256] as number;
    lo[i] = (((l >>> 8) | (h << 24)) ^ (lo[l & 0xff] as number)) >>> 0;
    hi[i] = ((h >>> 8) ^ (hi[l & 0xff] as number)) >>> 0;
  }
  return { hi, lo };
}

const CRC32C_TABLES = crcTables(0, 0x82f63b78);
const CRC64NVME_TABLES = crcTables(0x9a6c9329, 0xac4bc9b5);

function reflectedCrcHasher(tables: { hi: Uint32Array; lo: Uint32Array }, bytes: 4 | 8): Hasher {
  const { hi: H, lo: L } = tables;
  const t = (table: Uint32Array, index: number) => table[index] as number;
  let hi = bytes === 8 ? 0xffffffff : 0;
  let lo = 0xffffffff;
  return {
    update: (chunk) => {
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let i = 0;
      for (; i + 8 <= chunk.length; i += 8) {
        const a = lo ^ view.getUint32(i, true);
        const b = hi ^ view.getUint32(i + 4, true);
        const a0 = 1792 + (a & 255);
        const a1 = 1536 + ((a >>> 8) & 255);
        const a2 = 1280 + ((a >>> 16) & 255);
        const a3 = 1024 + (a >>> 24);
        const b0 = 768 + (b & 255);
        const b1 = 512 + ((b >>> 8) & 255);
        const b2 = 256 + ((b >>> 16) & 255);
        const b3 = b >>> 24;
        lo = t(L, a0) ^ t(L, a1) ^ t(L, a2) ^ t(L, a3) ^ t(L, b0) ^ t(L, b1) ^ t(L, b2) ^ t(L, b3);
        hi = t(H, a0) ^ t(H, a1) ^ t(H, a2) ^ t(H, a3) ^ t(H, b0) ^ t(H, b1) ^ t(H, b2) ^ t(H, b3);
      }
      for (; i < chunk.length; i++) {
        const index = (lo ^ view.getUint8(i)) & 0xff;
        lo = ((lo >>> 8) | (hi << 24)) ^ t(L, index);
        hi = (hi >>> 8) ^ t(H, index);
      }
    },
    digest: () => {
      const out = Buffer.alloc(8);
      out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
      out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
      return bytes === 8 ? out : out.subarray(4);
    },
  };
}

/** The one table of per-algorithm facts. */
const ALGORITHMS: Record<ChecksumAlgorithm, { header: string; digestLength: number; create: () => Hasher }> = {
  CRC32: { header: "x-amz-checksum-crc32", digestLength: 4, create: crc32Hasher },
  CRC32C: { header: "x-amz-checksum-crc32c", digestLength: 4, create: () => reflectedCrcHasher(CRC32C_TABLES, 4) },
  SHA1: { header: "x-amz-checksum-sha1", digestLength: 20, create: () => nodeHasher("sha1") },
  SHA256: { header: "x-amz-checksum-sha256", digestLength: 32, create: () => nodeHasher("sha256") },
  CRC64NVME: {
    header: "x-amz-checksum-crc64nvme",
    digestLength: 8,
    create: () => reflectedCrcHasher(CRC64NVME_TABLES, 8),
  },
};

const BY_HEADER = new Map(CHECKSUM_ALGORITHMS.map((algorithm) => [ALGORITHMS[algorithm].header, algorithm]));

export function createHasher(algorithm: ChecksumAlgorithm): Hasher {
  return ALGORITHMS[algorithm].create();
}

export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return ALGORITHMS[algorithm].header;
}

export function checksumDigestLength(algorithm: ChecksumAlgorithm): number {
  return ALGORITHMS[algorithm].digestLength;
}

/** "crc32" / "CRC32" -> "CRC32"; undefined for anything S3 does not know. */
export function parseChecksumAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined) return undefined;
  const upper = value.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

/** "x-amz-checksum-crc32" (any case) -> "CRC32"; for trailer names and x-amz-trailer values. */
export function checksumAlgorithmFromHeader(name: string): ChecksumAlgorithm | undefined {
  return BY_HEADER.get(name.trim().toLowerCase());
}

/** Digest of the whole input, for one-shot callers and tests. */
export function digestOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Buffer {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest();
}

/** S3 "COMPOSITE" multipart checksum: the algorithm applied to the concatenated raw part digests; caller appends "-N". */
export function compositeDigest(algorithm: ChecksumAlgorithm, partDigests: Buffer[]): Buffer {
  const hasher = createHasher(algorithm);
  for (const digest of partDigests) hasher.update(digest);
  return hasher.digest();
}

/**
 * Throws S3's InvalidRequest unless `value` is canonical base64 of exactly the digest length.
 * Re-encoding catches bad characters, wrong padding and wrong length in one comparison.
 */
export function validateChecksumValue(algorithm: ChecksumAlgorithm, value: string): void {
  const bytes = Buffer.from(value, "base64");
  if (bytes.length !== ALGORITHMS[algorithm].digestLength || bytes.toString("base64") !== value) {
    throw new S3Error("InvalidRequest", { message: `Value for ${ALGORITHMS[algorithm].header} header is invalid.` });
  }
}

/** The BadDigest S3 sends when a supplied checksum does not match the body. */
export function checksumMismatch(algorithm: ChecksumAlgorithm): S3Error {
  return new S3Error("BadDigest", { message: `The ${algorithm} you specified did not match the calculated checksum.` });
}

/**
 * The x-amz-checksum-<alg> header a request carries, validated, or undefined.
 * Other x-amz-checksum-* headers (-algorithm, -type, -mode) are not values and are skipped.
 */
export function findRequestChecksum(
  headers: Record<string, string | string[] | undefined>,
): { algorithm: ChecksumAlgorithm; expected: string } | undefined {
  let found: { algorithm: ChecksumAlgorithm; expected: string } | undefined;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const algorithm = checksumAlgorithmFromHeader(name);
    if (algorithm === undefined) continue;
    if (found && found.algorithm !== algorithm) {
      throw new S3Error("InvalidRequest", {
        message: "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
      });
    }
    // A repeated header arrives as an array (or comma-joined); either way it fails validation unless single.
    const expected = (Array.isArray(raw) ? raw.join(",") : raw).trim();
    validateChecksumValue(algorithm, expected);
    found = { algorithm, expected };
  }
  return found;
}
