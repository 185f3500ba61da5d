import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

const MiB = 1024 * 1024;
const PART = 5 * MiB;

let emulator: RunningEmulator;
let s3: S3Client;
let bucket: string;
let data: Buffer;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = sdkClient(emulator.endpoint);
  bucket = bucketName("libstorage");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  data = randomBytes(12 * MiB);
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.close();
});

/** A stream of unknown length in uneven chunks, as a pipe or a socket would give it. */
function unevenStream(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0, step = 1; offset < bytes.length; offset += step, step = (step * 7 + 12_345) % 900_000) {
        yield bytes.subarray(offset, offset + step);
      }
    })(),
  );
}

const partsOf = (bytes: Buffer) =>
  Array.from({ length: Math.ceil(bytes.length / PART) }, (_, i) => bytes.subarray(i * PART, (i + 1) * PART));
const crc32Bytes = (bytes: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes));
  return out;
};
const sha256 = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function download(key: string): Promise<Uint8Array> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
}

describe("@aws-sdk/lib-storage Upload", () => {
  it("uploads a 12 MiB stream in 5 MiB parts; bytes and the md5-of-md5s-3 ETag are S3's", async () => {
    const result = await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: "twelve.bin", Body: unevenStream(data) },
      partSize: PART,
    }).done();
    const parts = partsOf(data);
    expect(parts.length).toBe(3);
    const md5s = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
    const etag = `"${createHash("md5").update(md5s).digest("hex")}-3"`;
    expect(result.ETag).toBe(etag);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "twelve.bin" }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toBe(etag);
    expect(sha256(await download("twelve.bin"))).toBe(sha256(data));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
  });

  it("with ChecksumAlgorithm CRC32 the object carries the composite CRC32 ...-3", async () => {
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: "twelve-crc.bin", Body: unevenStream(data), ChecksumAlgorithm: "CRC32" },
      partSize: PART,
    });
    const result = await upload.done();
    const expected = `${crc32Bytes(Buffer.concat(partsOf(data).map(crc32Bytes))).toString("base64")}-3`;
    expect(result.ChecksumCRC32).toBe(expected);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: "twelve-crc.bin", ChecksumMode: "ENABLED" }),
    );
    expect(head.ChecksumCRC32).toBe(expected);
    expect(head.ChecksumType).toBe("COMPOSITE");
    expect(sha256(await download("twelve-crc.bin"))).toBe(sha256(data));
  });

  it("a body smaller than one part goes up as a single PutObject (plain MD5 ETag)", async () => {
    const smallBody = data.subarray(0, 1000);
    const result = await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: "small.bin", Body: unevenStream(smallBody) },
    }).done();
    expect(result.ETag).toBe(`"${createHash("md5").update(smallBody).digest("hex")}"`);
    expect(sha256(await download("small.bin"))).toBe(sha256(smallBody));
  });
});
