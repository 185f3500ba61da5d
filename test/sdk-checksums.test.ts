import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

let emulator: RunningEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = sdkClient(emulator.endpoint);
  bucket = bucketName("checksums");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.close();
});

async function expectError(promise: Promise<unknown>, name: string, status: number): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected ${name}, got ${String(error)}`);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  return error;
}

async function getBytes(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

/** Bitwise reflected CRC (init and xorout all ones): an independent reference for CRC32C and CRC64NVME. */
function reflectedCrc(poly: bigint, width: 32 | 64, data: Buffer): Buffer {
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

/** The algorithms the JS SDK can compute (its model also names MD5, SHA512 and XXHASH*, which it refuses to send). */
type ChecksumAlgorithm = "CRC32" | "CRC32C" | "SHA1" | "SHA256" | "CRC64NVME";

const REFERENCE: Record<ChecksumAlgorithm, (data: Buffer) => Buffer> = {
  CRC32: (data) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(data));
    return out;
  },
  CRC32C: (data) => reflectedCrc(0x82f63b78n, 32, data),
  SHA1: (data) => createHash("sha1").update(data).digest(),
  SHA256: (data) => createHash("sha256").update(data).digest(),
  CRC64NVME: (data) => reflectedCrc(0x9a6c9329ac4bc9b5n, 64, data),
};
const checksumOf = (algorithm: ChecksumAlgorithm, data: Buffer) => REFERENCE[algorithm](data).toString("base64");

/** A raw HTTP request, for what the SDK will not send (wrong trailers). */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer | string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: emulator.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Bytes straight onto a socket, for requests node's http client would complete (no Content-Length). */

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
      const put = await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: algorithm }),
      );
      expect(put[field]).toBe(expected);
      expect(put.ChecksumType).toBe("FULL_OBJECT");
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
      expect(head[field]).toBe(expected);
      expect(head.ChecksumType).toBe("FULL_OBJECT");
      const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
      expect(get[field]).toBe(expected);
      expect(
        Buffer.from(
          await (get.Body as Readable & { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        ).equals(body),
      ).toBe(true);
      const plainHead = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(plainHead[field]).toBeUndefined();
    },
  );

  it("a wrong x-amz-checksum-crc32 is BadDigest and stores nothing", async () => {
    const error = await expectError(
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "bad-crc",
          Body: "payload",
          ChecksumCRC32: checksumOf("CRC32", Buffer.from("other")),
        }),
      ),
      "BadDigest",
      400,
    );
    expect(error.message).toMatch(/CRC32/);
    await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "bad-crc" })), "NotFound", 404);
  });

  it("a wrong Content-MD5 is BadDigest; a malformed one is InvalidDigest", async () => {
    const wrong = createHash("md5").update("other").digest("base64");
    await expectError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bad-md5", Body: "payload", ContentMD5: wrong })),
      "BadDigest",
      400,
    );
    await expectError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bad-md5", Body: "payload", ContentMD5: "nope" })),
      "InvalidDigest",
      400,
    );
    const right = createHash("md5").update("payload").digest("base64");
    const ok = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "good-md5", Body: "payload", ContentMD5: right }),
    );
    expect(ok.ETag).toBe(`"${md5("payload")}"`);
  });

  it("a checksum value of the wrong length is InvalidRequest", async () => {
    await expectError(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: "short-sha", Body: "x", ChecksumSHA256: "AAAA" })),
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
    expect((await raw("PUT", `/${bucket}/trailer-good`, headers(good), good)).status).toBe(200);
    expect((await getBytes("trailer-good")).toString()).toBe("hello");
    const bad = chunked(checksumOf("CRC32", Buffer.from("jello")));
    const res = await raw("PUT", `/${bucket}/trailer-bad`, headers(bad), bad);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>BadDigest</Code>");
    await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "trailer-bad" })), "NotFound", 404);
  });
});
