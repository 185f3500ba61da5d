import { createHash } from "node:crypto";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

let emulator: RunningEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = sdkClient(emulator.endpoint);
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

async function newBucket(versioned = false): Promise<string> {
  const name = bucketName("copy");
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (versioned)
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
  return name;
}

async function text(bucket: string, key: string, versionId?: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return (out.Body as { transformToString(): Promise<string> }).transformToString();
}

describe("CopyObject", () => {
  it("COPY keeps the source's metadata and content type; the ETag is the source's MD5", async () => {
    const bucket = await newBucket();
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "src",
        Body: "copy me",
        ContentType: "text/x-src",
        Metadata: { origin: "src" },
      }),
    );
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "dst", CopySource: `${bucket}/src` }));
    expect(copy.CopyObjectResult?.ETag).toBe(put.ETag);
    expect(copy.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "dst" }));
    expect(head.ContentType).toBe("text/x-src");
    expect(head.Metadata).toEqual({ origin: "src" });
    expect(await text(bucket, "dst")).toBe("copy me");
  });

  it("REPLACE takes only the request's metadata and content type", async () => {
    const bucket = await newBucket();
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "src",
        Body: "x",
        ContentType: "text/x-src",
        Metadata: { origin: "src" },
      }),
    );
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "dst",
        CopySource: `${bucket}/src`,
        MetadataDirective: "REPLACE",
        ContentType: "application/json",
        Metadata: { fresh: "yes" },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "dst" }));
    expect(head.Metadata).toEqual({ fresh: "yes" });
    expect(head.ContentType).toBe("application/json");
  });

  it("onto itself without a change is InvalidRequest; with REPLACE it rewrites the metadata", async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "self", Body: "same bytes", Metadata: { v: "1" } }));
    const error = await expectError(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "self", CopySource: `${bucket}/self` })),
      "InvalidRequest",
      400,
    );
    expect(error.message).toMatch(/copy an object to itself/);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "self",
        CopySource: `${bucket}/self`,
        MetadataDirective: "REPLACE",
        Metadata: { v: "2" },
      }),
    );
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "self" }))).Metadata).toEqual({ v: "2" });
    expect(await text(bucket, "self")).toBe("same bytes");
  });

  it("copies a specific version and names it in x-amz-copy-source-version-id", async () => {
    const bucket = await newBucket(true);
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "first" }))).VersionId as string;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "second" }));
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: "old", CopySource: `${bucket}/k?versionId=${v1}` }),
    );
    expect(copy.CopySourceVersionId).toBe(v1);
    expect(copy.VersionId).toBeTruthy();
    expect(copy.VersionId).not.toBe(v1);
    expect(await text(bucket, "old")).toBe("first");
  });

  it("copies keys with reserved characters when the source is URL-encoded, and computes a requested checksum", async () => {
    const bucket = await newBucket();
    const key = "dir/a b+c%d?e#f.txt";
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "special" }));
    const copy = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "plain",
        CopySource: `${bucket}/${encodeURIComponent(key)}`,
        ChecksumAlgorithm: "SHA256",
      }),
    );
    expect(copy.CopyObjectResult?.ChecksumSHA256).toBe(createHash("sha256").update("special").digest("base64"));
    expect(await text(bucket, "plain")).toBe("special");
  });

  it("a missing source is NoSuchKey; failing copy-source conditions are 412", async () => {
    const bucket = await newBucket();
    await expectError(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "d", CopySource: `${bucket}/none` })),
      "NoSuchKey",
      404,
    );
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "s", Body: "x" }));
    const base = { Bucket: bucket, Key: "d", CopySource: `${bucket}/s` };
    await expectError(
      s3.send(new CopyObjectCommand({ ...base, CopySourceIfMatch: '"other"' })),
      "PreconditionFailed",
      412,
    );
    await expectError(
      s3.send(new CopyObjectCommand({ ...base, CopySourceIfNoneMatch: ETag })),
      "PreconditionFailed",
      412,
    );
    expect((await s3.send(new CopyObjectCommand({ ...base, CopySourceIfMatch: ETag }))).CopyObjectResult?.ETag).toBe(
      ETag,
    );
  });

  it("tags are copied by default and replaced with TaggingDirective REPLACE", async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "s", Body: "x", Tagging: "a=1&b=2" }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "d1", CopySource: `${bucket}/s` }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "d1" }))).TagSet).toHaveLength(2);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "d2",
        CopySource: `${bucket}/s`,
        TaggingDirective: "REPLACE",
        Tagging: "z=26",
      }),
    );
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "d2" }))).TagSet).toEqual([
      { Key: "z", Value: "26" },
    ]);
  });
});
