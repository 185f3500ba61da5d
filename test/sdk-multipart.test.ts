import { createHash, randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

/** Most tests use 1 KiB parts on an emulator whose minimum part size is lowered to match. */
let small: RunningEmulator;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  small = await startTestEmulator({ minPartBytes: 1024 });
  s3 = sdkClient(small.endpoint);
  bucket = bucketName("mpu");
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
/** S3's multipart ETag: MD5 of the concatenated binary part MD5s, then "-" and the part count. */
const multipartEtag = (parts: Buffer[]) =>
  `"${createHash("md5")
    .update(Buffer.concat(parts.map(md5)))
    .digest("hex")}-${parts.length}"`;
async function bytesOf(client: S3Client, bucketName: string, key: string): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

/** Creates an upload and sends `parts` as parts 1..n; returns the upload id and the completed-part list. */
async function upload(
  key: string,
  parts: Buffer[],
  create: Partial<CreateMultipartUploadCommandInput> = {},
  client = s3,
  into = bucket,
) {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: into, Key: key, ...create }));
  const completed: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const out = await client.send(
      new UploadPartCommand({
        Bucket: into,
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

describe("Create / UploadPart / Complete", () => {
  it("assembles the parts in order; the ETag is md5-of-md5s-N; metadata and tags come from Create", async () => {
    const parts = [randomBytes(2000), randomBytes(1500), Buffer.from("last")];
    const { uploadId, completed } = await upload("assembled", parts, {
      ContentType: "application/x-parts",
      Metadata: { stage: "mpu" },
      Tagging: "t=1",
    });
    const done = await complete("assembled", uploadId, completed);
    expect(done.ETag).toBe(multipartEtag(parts));
    expect(done).toMatchObject({ Bucket: bucket, Key: "assembled" });
    expect(done.Location).toContain("assembled");
    expect((await bytesOf(s3, bucket, "assembled")).equals(Buffer.concat(parts))).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "assembled" }));
    expect(head).toMatchObject({
      ETag: done.ETag,
      ContentLength: 3504,
      ContentType: "application/x-parts",
      Metadata: { stage: "mpu" },
    });
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "assembled" }))).TagSet).toEqual([
      { Key: "t", Value: "1" },
    ]);
    expect(
      (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "assembled" }))).Uploads ?? [],
    ).toEqual([]);
    await expectError(
      s3.send(new ListPartsCommand({ Bucket: bucket, Key: "assembled", UploadId: uploadId })),
      "NoSuchUpload",
      404,
    );
  });

  it("HeadObject with PartNumber answers that part (206, its length) and PartsCount", async () => {
    const parts = [randomBytes(1100), randomBytes(1200)];
    const { uploadId, completed } = await upload("by-part", parts);
    await complete("by-part", uploadId, completed);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "by-part", PartNumber: 2 }));
    expect(head.$metadata.httpStatusCode).toBe(206);
    expect(head.PartsCount).toBe(2);
    expect(head.ContentLength).toBe(1200);
  });

  // S3 sends x-amz-mp-parts-count only when partNumber is asked for.
  it("HeadObject without PartNumber does not report PartsCount", async () => {
    const parts = [randomBytes(1100), randomBytes(10)];
    const { uploadId, completed } = await upload("no-part-count", parts);
    await complete("no-part-count", uploadId, completed);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "no-part-count" }))).PartsCount).toBeUndefined();
  });

  it("a single small part is a valid upload (the last part may be small)", async () => {
    const { uploadId, completed } = await upload("one-part", [Buffer.from("tiny")]);
    expect((await complete("one-part", uploadId, completed)).ETag).toBe(multipartEtag([Buffer.from("tiny")]));
  });

  it("Complete with If-None-Match * on an existing key is 412 and keeps the old object", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "guarded", Body: "old" }));
    const { uploadId, completed } = await upload("guarded", [Buffer.from("new")]);
    await expectError(complete("guarded", uploadId, completed, { IfNoneMatch: "*" }), "PreconditionFailed", 412);
    expect((await bytesOf(s3, bucket, "guarded")).toString()).toBe("old");
  });
});

describe("UploadPartCopy", () => {
  it("copies byte ranges of an object as parts", async () => {
    const source = randomBytes(3000);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "copy-src", Body: source }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "copy-dst" }));
    const ranges = [
      [0, 1499],
      [1500, 2999],
    ] as const;
    const parts: CompletedPart[] = [];
    for (const [i, [start, end]] of ranges.entries()) {
      const out = await s3.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: "copy-dst",
          UploadId,
          PartNumber: i + 1,
          CopySource: `${bucket}/copy-src`,
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      expect(out.CopyPartResult?.ETag).toBe(`"${md5(source.subarray(start, end + 1)).toString("hex")}"`);
      expect(out.CopyPartResult?.LastModified).toBeInstanceOf(Date);
      parts.push({ PartNumber: i + 1, ETag: out.CopyPartResult?.ETag });
    }
    const done = await complete("copy-dst", UploadId as string, parts);
    expect(done.ETag).toBe(multipartEtag([source.subarray(0, 1500), source.subarray(1500)]));
    expect((await bytesOf(s3, bucket, "copy-dst")).equals(source)).toBe(true);
  });

  it("a range past the end of the source is refused", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "short-src", Body: "0123456789" }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "bad-range" }));
    const input = { Bucket: bucket, Key: "bad-range", UploadId, PartNumber: 1, CopySource: `${bucket}/short-src` };
    const error = await failure(s3.send(new UploadPartCopyCommand({ ...input, CopySourceRange: "bytes=0-21" })));
    expect([400, 416]).toContain(error.$metadata.httpStatusCode);
    expect(["InvalidArgument", "InvalidRange"]).toContain(error.name);
  });
});

describe("Abort and errors", () => {
  it("Abort is 204; the upload then answers NoSuchUpload everywhere", async () => {
    const { uploadId, completed } = await upload("aborted", [Buffer.from("x")]);
    const out = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const part = new UploadPartCommand({
      Bucket: bucket,
      Key: "aborted",
      UploadId: uploadId,
      PartNumber: 2,
      Body: "y",
    });
    await expectError(s3.send(part), "NoSuchUpload", 404);
    await expectError(complete("aborted", uploadId, completed), "NoSuchUpload", 404);
    await expectError(
      s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId })),
      "NoSuchUpload",
      404,
    );
    await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "aborted" })), "NotFound", 404);
  });

  it("an unknown ETag or part number is InvalidPart; parts out of order or repeated are InvalidPartOrder", async () => {
    const { uploadId, completed } = await upload("invalid", [randomBytes(1024), randomBytes(1024)]);
    const [p1, p2] = completed as [CompletedPart, CompletedPart];
    await expectError(
      complete("invalid", uploadId, [p1, { PartNumber: 2, ETag: `"${"0".repeat(32)}"` }]),
      "InvalidPart",
      400,
    );
    await expectError(complete("invalid", uploadId, [p1, p2, { PartNumber: 3, ETag: p2.ETag }]), "InvalidPart", 400);
    await expectError(complete("invalid", uploadId, [p2, p1]), "InvalidPartOrder", 400);
    await expectError(complete("invalid", uploadId, [p1, p1]), "InvalidPartOrder", 400);
    // The upload survives failed completions.
    expect((await complete("invalid", uploadId, [p1, p2])).ETag).toMatch(/-2"$/);
  });

  it("part numbers outside 1..10000 are InvalidArgument", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "numbers" }));
    for (const PartNumber of [0, 10_001]) {
      await expectError(
        s3.send(new UploadPartCommand({ Bucket: bucket, Key: "numbers", UploadId, PartNumber, Body: "x" })),
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
      const { uploadId, completed } = await upload(
        "small",
        [randomBytes(1024 * 1024), Buffer.from("end")],
        {},
        client,
        strictBucket,
      );
      const input = { Bucket: strictBucket, Key: "small", UploadId: uploadId, MultipartUpload: { Parts: completed } };
      const error = await expectError(client.send(new CompleteMultipartUploadCommand(input)), "EntityTooSmall", 400);
      expect(error.message).toBe("Your proposed upload is smaller than the minimum allowed object size.");
      const parts = await client.send(new ListPartsCommand({ Bucket: strictBucket, Key: "small", UploadId: uploadId }));
      expect(parts.Parts).toHaveLength(2);
    } finally {
      client.destroy();
      await strict.close();
    }
  });
});
