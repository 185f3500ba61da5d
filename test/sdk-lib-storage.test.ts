import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { HeadObjectCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { beforeAll, describe, expect, it } from "vitest";
import { crc32Bytes, md5Hex, multipartEtag, sha256Hex, splitParts } from "./support/digests.js";
import { getBytes } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const MiB = 1024 * 1024;
const PART = 5 * MiB;

const suite = useEmulator({ bucket: "libstorage" });
let data: Buffer;

beforeAll(() => {
  data = randomBytes(12 * MiB);
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

const partsOf = (bytes: Buffer) => splitParts(bytes, PART);
const download = (key: string) => getBytes(suite.s3, suite.bucket, key);

describe("@aws-sdk/lib-storage Upload", () => {
  it("uploads a 12 MiB stream in 5 MiB parts; bytes and the md5-of-md5s-3 ETag are S3's", async () => {
    const result = await new Upload({
      client: suite.s3,
      params: { Bucket: suite.bucket, Key: "twelve.bin", Body: unevenStream(data) },
      partSize: PART,
    }).done();
    const parts = partsOf(data);
    expect(parts.length).toBe(3);
    const etag = multipartEtag(parts);
    expect(result.ETag).toBe(etag);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "twelve.bin" }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toBe(etag);
    expect(sha256Hex(await download("twelve.bin"))).toBe(sha256Hex(data));
    expect((await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: suite.bucket }))).Uploads ?? []).toEqual([]);
  });

  it("with ChecksumAlgorithm CRC32 the object carries the composite CRC32 ...-3", async () => {
    const upload = new Upload({
      client: suite.s3,
      params: { Bucket: suite.bucket, Key: "twelve-crc.bin", Body: unevenStream(data), ChecksumAlgorithm: "CRC32" },
      partSize: PART,
    });
    const result = await upload.done();
    const expected = `${crc32Bytes(Buffer.concat(partsOf(data).map(crc32Bytes))).toString("base64")}-3`;
    expect(result.ChecksumCRC32).toBe(expected);
    const head = await suite.s3.send(
      new HeadObjectCommand({ Bucket: suite.bucket, Key: "twelve-crc.bin", ChecksumMode: "ENABLED" }),
    );
    expect(head.ChecksumCRC32).toBe(expected);
    expect(head.ChecksumType).toBe("COMPOSITE");
    expect(sha256Hex(await download("twelve-crc.bin"))).toBe(sha256Hex(data));
  });

  it("a body smaller than one part goes up as a single PutObject (plain MD5 ETag)", async () => {
    const smallBody = data.subarray(0, 1000);
    const result = await new Upload({
      client: suite.s3,
      params: { Bucket: suite.bucket, Key: "small.bin", Body: unevenStream(smallBody) },
    }).done();
    expect(result.ETag).toBe(`"${md5Hex(smallBody)}"`);
    expect(sha256Hex(await download("small.bin"))).toBe(sha256Hex(smallBody));
  });
});
