import { randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { md5Hex, multipartEtag } from "./support/digests.js";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";
import { completeUpload, uploadParts } from "./support/multipart.js";
import { expectSdkError, getBytes, s3Failure } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

/** Most tests use 1 KiB parts on an emulator whose minimum part size is lowered to match. */
const suite = useEmulator({ options: { minPartBytes: 1024 }, bucket: "mpu" });

describe("Create / UploadPart / Complete", () => {
  it("assembles the parts in order; the ETag is md5-of-md5s-N; metadata and tags come from Create", async () => {
    const parts = [randomBytes(2000), randomBytes(1500), Buffer.from("last")];
    const { uploadId, completed } = await uploadParts(suite, "assembled", parts, {
      ContentType: "application/x-parts",
      Metadata: { stage: "mpu" },
      Tagging: "t=1",
    });
    const done = await completeUpload(suite, "assembled", uploadId, completed);
    expect(done.ETag).toBe(multipartEtag(parts));
    expect(done).toMatchObject({ Bucket: suite.bucket, Key: "assembled" });
    expect(done.Location).toContain("assembled");
    expect((await getBytes(suite.s3, suite.bucket, "assembled")).equals(Buffer.concat(parts))).toBe(true);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "assembled" }));
    expect(head).toMatchObject({
      ETag: done.ETag,
      ContentLength: 3504,
      ContentType: "application/x-parts",
      Metadata: { stage: "mpu" },
    });
    expect(
      (await suite.s3.send(new GetObjectTaggingCommand({ Bucket: suite.bucket, Key: "assembled" }))).TagSet,
    ).toEqual([{ Key: "t", Value: "1" }]);
    expect(
      (await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: suite.bucket, Prefix: "assembled" }))).Uploads ??
        [],
    ).toEqual([]);
    await expectSdkError(
      suite.s3.send(new ListPartsCommand({ Bucket: suite.bucket, Key: "assembled", UploadId: uploadId })),
      "NoSuchUpload",
      404,
    );
  });

  it("HeadObject with PartNumber answers that part (206, its length) and PartsCount", async () => {
    const parts = [randomBytes(1100), randomBytes(1200)];
    const { uploadId, completed } = await uploadParts(suite, "by-part", parts);
    await completeUpload(suite, "by-part", uploadId, completed);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "by-part", PartNumber: 2 }));
    expect(head.$metadata.httpStatusCode).toBe(206);
    expect(head.PartsCount).toBe(2);
    expect(head.ContentLength).toBe(1200);
  });

  // S3 sends x-amz-mp-parts-count only when partNumber is asked for.
  it("HeadObject without PartNumber does not report PartsCount", async () => {
    const parts = [randomBytes(1100), randomBytes(10)];
    const { uploadId, completed } = await uploadParts(suite, "no-part-count", parts);
    await completeUpload(suite, "no-part-count", uploadId, completed);
    expect(
      (await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "no-part-count" }))).PartsCount,
    ).toBeUndefined();
  });

  it("a single small part is a valid upload (the last part may be small)", async () => {
    const { uploadId, completed } = await uploadParts(suite, "one-part", [Buffer.from("tiny")]);
    expect((await completeUpload(suite, "one-part", uploadId, completed)).ETag).toBe(
      multipartEtag([Buffer.from("tiny")]),
    );
  });

  it("Complete with If-None-Match * on an existing key is 412 and keeps the old object", async () => {
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "guarded", Body: "old" }));
    const { uploadId, completed } = await uploadParts(suite, "guarded", [Buffer.from("new")]);
    await expectSdkError(
      completeUpload(suite, "guarded", uploadId, completed, { IfNoneMatch: "*" }),
      "PreconditionFailed",
      412,
    );
    expect((await getBytes(suite.s3, suite.bucket, "guarded")).toString()).toBe("old");
  });
});

describe("UploadPartCopy", () => {
  it("copies byte ranges of an object as parts", async () => {
    const source = randomBytes(3000);
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "copy-src", Body: source }));
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket: suite.bucket, Key: "copy-dst" }),
    );
    const ranges = [
      [0, 1499],
      [1500, 2999],
    ] as const;
    const parts: CompletedPart[] = [];
    for (const [i, [start, end]] of ranges.entries()) {
      const out = await suite.s3.send(
        new UploadPartCopyCommand({
          Bucket: suite.bucket,
          Key: "copy-dst",
          UploadId,
          PartNumber: i + 1,
          CopySource: `${suite.bucket}/copy-src`,
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      expect(out.CopyPartResult?.ETag).toBe(`"${md5Hex(source.subarray(start, end + 1))}"`);
      expect(out.CopyPartResult?.LastModified).toBeInstanceOf(Date);
      parts.push({ PartNumber: i + 1, ETag: out.CopyPartResult?.ETag });
    }
    const done = await completeUpload(suite, "copy-dst", UploadId as string, parts);
    expect(done.ETag).toBe(multipartEtag([source.subarray(0, 1500), source.subarray(1500)]));
    expect((await getBytes(suite.s3, suite.bucket, "copy-dst")).equals(source)).toBe(true);
  });

  it("a range past the end of the source is refused", async () => {
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "short-src", Body: "0123456789" }));
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket: suite.bucket, Key: "bad-range" }),
    );
    const input = {
      Bucket: suite.bucket,
      Key: "bad-range",
      UploadId,
      PartNumber: 1,
      CopySource: `${suite.bucket}/short-src`,
    };
    const error = await s3Failure(
      suite.s3.send(new UploadPartCopyCommand({ ...input, CopySourceRange: "bytes=0-21" })),
    );
    expect([400, 416]).toContain(error.$metadata.httpStatusCode);
    expect(["InvalidArgument", "InvalidRange"]).toContain(error.name);
  });
});

describe("Abort and errors", () => {
  it("Abort is 204; the upload then answers NoSuchUpload everywhere", async () => {
    const { uploadId, completed } = await uploadParts(suite, "aborted", [Buffer.from("x")]);
    const out = await suite.s3.send(
      new AbortMultipartUploadCommand({ Bucket: suite.bucket, Key: "aborted", UploadId: uploadId }),
    );
    expect(out.$metadata.httpStatusCode).toBe(204);
    const part = new UploadPartCommand({
      Bucket: suite.bucket,
      Key: "aborted",
      UploadId: uploadId,
      PartNumber: 2,
      Body: "y",
    });
    await expectSdkError(suite.s3.send(part), "NoSuchUpload", 404);
    await expectSdkError(completeUpload(suite, "aborted", uploadId, completed), "NoSuchUpload", 404);
    await expectSdkError(
      suite.s3.send(new AbortMultipartUploadCommand({ Bucket: suite.bucket, Key: "aborted", UploadId: uploadId })),
      "NoSuchUpload",
      404,
    );
    await expectSdkError(
      suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "aborted" })),
      "NotFound",
      404,
    );
  });

  it("an unknown ETag or part number is InvalidPart; parts out of order or repeated are InvalidPartOrder", async () => {
    const { uploadId, completed } = await uploadParts(suite, "invalid", [randomBytes(1024), randomBytes(1024)]);
    const [p1, p2] = completed as [CompletedPart, CompletedPart];
    await expectSdkError(
      completeUpload(suite, "invalid", uploadId, [p1, { PartNumber: 2, ETag: `"${"0".repeat(32)}"` }]),
      "InvalidPart",
      400,
    );
    await expectSdkError(
      completeUpload(suite, "invalid", uploadId, [p1, p2, { PartNumber: 3, ETag: p2.ETag }]),
      "InvalidPart",
      400,
    );
    await expectSdkError(completeUpload(suite, "invalid", uploadId, [p2, p1]), "InvalidPartOrder", 400);
    await expectSdkError(completeUpload(suite, "invalid", uploadId, [p1, p1]), "InvalidPartOrder", 400);
    // The upload survives failed completions.
    expect((await completeUpload(suite, "invalid", uploadId, [p1, p2])).ETag).toMatch(/-2"$/);
  });

  it("part numbers outside 1..10000 are InvalidArgument", async () => {
    const { UploadId } = await suite.s3.send(
      new CreateMultipartUploadCommand({ Bucket: suite.bucket, Key: "numbers" }),
    );
    for (const PartNumber of [0, 10_001]) {
      await expectSdkError(
        suite.s3.send(new UploadPartCommand({ Bucket: suite.bucket, Key: "numbers", UploadId, PartNumber, Body: "x" })),
        "InvalidArgument",
        400,
      );
    }
  });

  it("EntityTooSmall for a non-last part under the default 5 MiB minimum", async () => {
    const strict = await startTestEmulator();
    const client = sdkClient(strict.endpoint);
    try {
      const strictBucket = bucketName("strict");
      await client.send(new CreateBucketCommand({ Bucket: strictBucket }));
      const bodies = [randomBytes(1024 * 1024), Buffer.from("end")];
      const { uploadId, completed } = await uploadParts({ s3: client, bucket: strictBucket }, "small", bodies);
      const input = { Bucket: strictBucket, Key: "small", UploadId: uploadId, MultipartUpload: { Parts: completed } };
      const error = await expectSdkError(client.send(new CompleteMultipartUploadCommand(input)), "EntityTooSmall", 400);
      expect(error.message).toBe("Your proposed upload is smaller than the minimum allowed object size.");
      const parts = await client.send(new ListPartsCommand({ Bucket: strictBucket, Key: "small", UploadId: uploadId }));
      expect(parts.Parts).toHaveLength(2);
    } finally {
      client.destroy();
      await strict.close();
    }
  });
});
