import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import {
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  HeadObjectCommand,
  ListPartsCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

/** Parts of about 1 KiB, on an emulator whose minimum part size is lowered to match. */
let small: RunningEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  small = await startTestEmulator({ minPartBytes: 1024 });
  s3 = sdkClient(small.endpoint);
  bucket = bucketName("mpu-sum");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  s3?.destroy();
  await small?.close();
});

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

async function expectError(promise: Promise<unknown>, name: string, status: number): Promise<S3ServiceException> {
  const error = await failure(promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  return error;
}

const md5 = (data: Buffer) => createHash("md5").update(data).digest();
const crc32Bytes = (data: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out;
};
/** Bitwise reflected CRC-64/NVME: an independent reference. */
function crc64nvme(data: Buffer): Buffer {
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0x9a6c9329ac4bc9b5n : crc >> 1n;
  }
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(crc ^ mask);
  return out;
}

/** Creates an upload and sends `parts` as parts 1..n; returns the upload id and the completed-part list. */
async function upload(key: string, parts: Buffer[], create: Partial<CreateMultipartUploadCommandInput> = {}) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...create }));
  const completed: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const out = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: i + 1,
        Body: body,
        ChecksumAlgorithm: create.ChecksumAlgorithm,
      }),
    );
    expect(out.ETag).toBe(`"${md5(body).toString("hex")}"`);
    completed.push({
      PartNumber: i + 1,
      ETag: out.ETag,
      ChecksumCRC32: out.ChecksumCRC32,
      ChecksumCRC64NVME: out.ChecksumCRC64NVME,
    });
  }
  return { uploadId: UploadId as string, completed };
}

const complete = (key: string, uploadId: string, parts: CompletedPart[], extra = {}) =>
  s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
      ...extra,
    }),
  );

describe("multipart checksums", () => {
  it("CRC32 defaults to COMPOSITE: the CRC32 of the part CRC32s, then -N", async () => {
    const parts = [randomBytes(1500), randomBytes(1100), randomBytes(7)];
    const { uploadId, completed } = await upload("crc32", parts, { ChecksumAlgorithm: "CRC32" });
    expect(completed.map((p) => p.ChecksumCRC32)).toEqual(parts.map((p) => crc32Bytes(p).toString("base64")));
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "crc32", UploadId: uploadId }));
    expect(listed.Parts?.map((p) => p.ChecksumCRC32)).toEqual(completed.map((p) => p.ChecksumCRC32));
    const expected = `${crc32Bytes(Buffer.concat(parts.map(crc32Bytes))).toString("base64")}-3`;
    const done = await complete("crc32", uploadId, completed);
    expect(done.ChecksumCRC32).toBe(expected);
    expect(done.ChecksumType).toBe("COMPOSITE");
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "crc32", ChecksumMode: "ENABLED" }));
    expect(head).toMatchObject({ ChecksumCRC32: expected, ChecksumType: "COMPOSITE" });
  });

  it("CRC64NVME is FULL_OBJECT: the checksum of the whole object", async () => {
    const parts = [randomBytes(1200), randomBytes(300)];
    const { uploadId, completed } = await upload("crc64", parts, { ChecksumAlgorithm: "CRC64NVME" });
    const done = await complete("crc64", uploadId, completed);
    expect(done.ChecksumCRC64NVME).toBe(crc64nvme(Buffer.concat(parts)).toString("base64"));
    expect(done.ChecksumType).toBe("FULL_OBJECT");
  });

  it("CRC32 with ChecksumType FULL_OBJECT is the CRC32 of the whole object", async () => {
    const parts = [randomBytes(1024), randomBytes(99)];
    const { uploadId, completed } = await upload("crc32-full", parts, {
      ChecksumAlgorithm: "CRC32",
      ChecksumType: "FULL_OBJECT",
    });
    const done = await complete("crc32-full", uploadId, completed);
    expect(done.ChecksumCRC32).toBe(crc32Bytes(Buffer.concat(parts)).toString("base64"));
    expect(done.ChecksumType).toBe("FULL_OBJECT");
  });

  it("a part whose checksum does not match its bytes is BadDigest", async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: "bad-part", ChecksumAlgorithm: "CRC32" }),
    );
    const wrong = crc32Bytes(Buffer.from("something else")).toString("base64");
    const part = new UploadPartCommand({
      Bucket: bucket,
      Key: "bad-part",
      UploadId,
      PartNumber: 1,
      Body: "payload",
      ChecksumCRC32: wrong,
    });
    await expectError(s3.send(part), "BadDigest", 400);
    expect((await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "bad-part", UploadId }))).Parts ?? []).toEqual(
      [],
    );
  });
});
