/**
 * Reference digests and checksums computed independently of the engine (node:crypto, node:zlib, bitwise CRCs),
 * for the values tests expect in ETags, Content-MD5 and x-amz-checksum-* headers.
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

type Data = string | Buffer | Uint8Array;

export const md5Bytes = (data: Data) => createHash("md5").update(data).digest();
export const md5Hex = (data: Data) => createHash("md5").update(data).digest("hex");
export const md5Base64 = (data: Data) => createHash("md5").update(data).digest("base64");
export const sha256Bytes = (data: Data) => createHash("sha256").update(data).digest();
export const sha256Hex = (data: Data) => createHash("sha256").update(data).digest("hex");
export const sha256Base64 = (data: Data) => createHash("sha256").update(data).digest("base64");

/** CRC32 as the 4 big-endian bytes S3 base64-encodes in x-amz-checksum-crc32. */
export function crc32Bytes(data: Data): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out;
}
export const crc32Base64 = (data: Data) => crc32Bytes(data).toString("base64");

/** Bitwise reflected CRC (init and xorout all ones): an independent reference for CRC32C and CRC64NVME. */
export function reflectedCrc(poly: bigint, width: 32 | 64, data: Buffer): Buffer {
  const mask = (1n << BigInt(width)) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  const out = Buffer.alloc(width / 8);
  if (width === 64) out.writeBigUInt64BE(crc ^ mask);
  else out.writeUInt32BE(Number(crc ^ mask));
  return out;
}
export const crc32c = (data: Buffer) => reflectedCrc(0x82f63b78n, 32, data);
export const crc64nvme = (data: Buffer) => reflectedCrc(0x9a6c9329ac4bc9b5n, 64, data);

/** `data` cut into consecutive parts of `partSize` bytes (the last one shorter), as multipart uploaders do. */
export const splitParts = (data: Buffer, partSize: number) =>
  Array.from({ length: Math.ceil(data.length / partSize) }, (_, i) => data.subarray(i * partSize, (i + 1) * partSize));

/** S3's multipart ETag, quoted: MD5 of the concatenated binary part MD5s, then "-" and the part count. */
export const multipartEtag = (parts: Buffer[]) => `"${md5Hex(Buffer.concat(parts.map(md5Bytes)))}-${parts.length}"`;
