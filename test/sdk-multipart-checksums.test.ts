import { randomBytes } from "node:crypto";
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { crc32Bytes, crc64nvme } from "./support/digests.js";
import { completeUpload, uploadParts } from "./support/multipart.js";
import { expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

/** Parts of about 1 KiB, on an emulator whose minimum part size is lowered to match. */
const suite = useEmulator({ options: { minPartBytes: 1024 }, bucket: "mpu-sum" });

describe("multipart checksums", () => {
  it("CRC32 defaults to COMPOSITE: the CRC32 of the part CRC32s, then -N", async () => {
    const parts = [randomBytes(1500), randomBytes(1100), randomBytes(7)];
    const { uploadId, completed } = await uploadParts(suite, "crc32", parts, { ChecksumAlgorithm: "CRC32" });
    expect(completed.map((p) => p.ChecksumCRC32)).toEqual(parts.map((p) => crc32Bytes(p).toString("base64")));
    const listed = await suite.s3.send(
      new ListPartsCommand({ Bucket: suite.bucket, Key: "crc32", UploadId: uploadId }),
    );
    expect(listed.Parts?.map((p) => p.ChecksumCRC32)).toEqual(completed.map((p) => p.ChecksumCRC32));
    const expected = `${crc32Bytes(Buffer.concat(parts.map(crc32Bytes))).toString("base64")}-3`;
    const done = await completeUpload(suite, "crc32", uploadId, completed);
    expect(done.ChecksumCRC32).toBe(expected);
    expect(done.ChecksumType).toBe("COMPOSITE");
    const head = await suite.s3.send(
      new HeadObjectCommand({ Bucket: suite.bucket, Key: "crc32", ChecksumMode: "ENABLED" }),
    );
    expect(head).toMatchObject({ ChecksumCRC32: expected, ChecksumType: "COMPOSITE" });
  });

  it("CRC64NVME is FULL_OBJECT: the checksum of the whole object", async () => {
    const parts = [randomBytes(1200), randomBytes(300)];
    const { uploadId, completed } = await uploadParts(suite, "crc64", parts, { ChecksumAlgorithm: "CRC64NVME" });
    const done = await completeUpload(suite, "crc64", uploadId, completed);
    expect(done.ChecksumCRC64NVME).toBe(crc64nvme(Buffer.concat(parts)).toString("base64"));
    expect(done.ChecksumType).toBe("FULL_OBJECT");
  });

  it("CRC32 with ChecksumType FULL_OBJECT is the CRC32 of the whole object", async () => {
    const parts = [randomBytes(1024), randomBytes(99)];
    const { uploadId, completed } = await uploadParts(suite, "crc32-full", parts, {
      ChecksumAlgorithm: "CRC32",
      ChecksumType: "FULL_OBJECT",
    });
    const done = await completeUpload(suite, "crc32-full", uploadId, completed);
    expect(done.ChecksumCRC32).toBe(crc32Bytes(Buffer.concat(parts)).toString("base64"));
    expect(done.ChecksumType).toBe("FULL_OBJECT");
  });

  it("a part whose checksum does not match its bytes is BadDigest", async () => {
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket: suite.bucket, Key: "bad-part", ChecksumAlgorithm: "CRC32" }),
    );
    const wrong = crc32Bytes(Buffer.from("something else")).toString("base64");
    const part = new UploadPartCommand({
      Bucket: suite.bucket,
      Key: "bad-part",
      UploadId,
      PartNumber: 1,
      Body: "payload",
      ChecksumCRC32: wrong,
    });
    await expectSdkError(suite.s3.send(part), "BadDigest", 400);
    expect(
      (await suite.s3.send(new ListPartsCommand({ Bucket: suite.bucket, Key: "bad-part", UploadId }))).Parts ?? [],
    ).toEqual([]);
  });
});
