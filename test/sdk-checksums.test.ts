import { createHash, randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { crc32Bytes, crc32c, crc64nvme, md5Base64, md5Hex } from "./support/digests.js";
import { nodeHttpRequest } from "./support/node-http.js";
import { expectSdkError, getBytes } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator({ bucket: "checksums" });

const bytesOf = (key: string) => getBytes(suite.s3, suite.bucket, key);

/** The algorithms the JS SDK can compute (its model also names MD5, SHA512 and XXHASH*, which it refuses to send). */
type ChecksumAlgorithm = "CRC32" | "CRC32C" | "SHA1" | "SHA256" | "CRC64NVME";

const REFERENCE: Record<ChecksumAlgorithm, (data: Buffer) => Buffer> = {
  CRC32: crc32Bytes,
  CRC32C: crc32c,
  SHA1: (data) => createHash("sha1").update(data).digest(),
  SHA256: (data) => createHash("sha256").update(data).digest(),
  CRC64NVME: crc64nvme,
};
const checksumOf = (algorithm: ChecksumAlgorithm, data: Buffer) => REFERENCE[algorithm](data).toString("base64");

/** A request through node:http, for what the SDK will not send (wrong trailers). */
const raw = (method: string, path: string, headers: Record<string, string>, body: string) =>
  nodeHttpRequest(suite.port, { method, path, headers, body });

describe("checksums", () => {
  const algorithms: ChecksumAlgorithm[] = ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"];

  it("the test's reference implementations match the published check values", () => {
    const check = Buffer.from("123456789");
    expect(REFERENCE.CRC32C(check).toString("hex")).toBe("e3069283");
    expect(REFERENCE.CRC64NVME(check).toString("hex")).toBe("ae8b14860a799888");
    expect(REFERENCE.CRC32(check).toString("hex")).toBe("cbf43926");
  });

  it.each(algorithms)(
    "%s: sent by the SDK, echoed on PUT, returned by HEAD and GET with ChecksumMode",
    async (algorithm) => {
      const body = Buffer.concat([Buffer.from(`checksum ${algorithm} `), randomBytes(2048)]);
      const key = `checksum-${algorithm}`;
      const field = `Checksum${algorithm}` as const;
      const expected = checksumOf(algorithm, body);
      const put = await suite.s3.send(
        new PutObjectCommand({ Bucket: suite.bucket, Key: key, Body: body, ChecksumAlgorithm: algorithm }),
      );
      expect(put[field]).toBe(expected);
      expect(put.ChecksumType).toBe("FULL_OBJECT");
      const head = await suite.s3.send(
        new HeadObjectCommand({ Bucket: suite.bucket, Key: key, ChecksumMode: "ENABLED" }),
      );
      expect(head[field]).toBe(expected);
      expect(head.ChecksumType).toBe("FULL_OBJECT");
      const get = await suite.s3.send(
        new GetObjectCommand({ Bucket: suite.bucket, Key: key, ChecksumMode: "ENABLED" }),
      );
      expect(get[field]).toBe(expected);
      expect(
        Buffer.from(
          await (get.Body as Readable & { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        ).equals(body),
      ).toBe(true);
      const plainHead = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: key }));
      expect(plainHead[field]).toBeUndefined();
    },
  );

  it("a wrong x-amz-checksum-crc32 is BadDigest and stores nothing", async () => {
    const error = await expectSdkError(
      suite.s3.send(
        new PutObjectCommand({
          Bucket: suite.bucket,
          Key: "bad-crc",
          Body: "payload",
          ChecksumCRC32: checksumOf("CRC32", Buffer.from("other")),
        }),
      ),
      "BadDigest",
      400,
    );
    expect(error.message).toMatch(/CRC32/);
    await expectSdkError(
      suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "bad-crc" })),
      "NotFound",
      404,
    );
  });

  it("a wrong Content-MD5 is BadDigest; a malformed one is InvalidDigest", async () => {
    const wrong = md5Base64("other");
    await expectSdkError(
      suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "bad-md5", Body: "payload", ContentMD5: wrong })),
      "BadDigest",
      400,
    );
    await expectSdkError(
      suite.s3.send(
        new PutObjectCommand({ Bucket: suite.bucket, Key: "bad-md5", Body: "payload", ContentMD5: "nope" }),
      ),
      "InvalidDigest",
      400,
    );
    const right = md5Base64("payload");
    const ok = await suite.s3.send(
      new PutObjectCommand({ Bucket: suite.bucket, Key: "good-md5", Body: "payload", ContentMD5: right }),
    );
    expect(ok.ETag).toBe(`"${md5Hex("payload")}"`);
  });

  it("a checksum value of the wrong length is InvalidRequest", async () => {
    await expectSdkError(
      suite.s3.send(
        new PutObjectCommand({ Bucket: suite.bucket, Key: "short-sha", Body: "x", ChecksumSHA256: "AAAA" }),
      ),
      "InvalidRequest",
      400,
    );
  });

  it("an aws-chunked body is checked against its trailer: right stores the payload, wrong is BadDigest", async () => {
    const chunked = (crc: string) => `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`;
    const headers = (body: string) => ({
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "x-amz-decoded-content-length": "5",
      "x-amz-trailer": "x-amz-checksum-crc32",
      "content-length": String(Buffer.byteLength(body)),
    });
    const good = chunked(checksumOf("CRC32", Buffer.from("hello")));
    expect((await raw("PUT", `/${suite.bucket}/trailer-good`, headers(good), good)).status).toBe(200);
    expect((await bytesOf("trailer-good")).toString()).toBe("hello");
    const bad = chunked(checksumOf("CRC32", Buffer.from("jello")));
    const res = await raw("PUT", `/${suite.bucket}/trailer-bad`, headers(bad), bad);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>BadDigest</Code>");
    await expectSdkError(
      suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "trailer-bad" })),
      "NotFound",
      404,
    );
  });
});
