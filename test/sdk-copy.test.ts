import { CopyObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { sha256Base64 } from "./support/digests.js";
import { createSdkBucket, expectSdkError, getText } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();

const newBucket = (versioned = false) => createSdkBucket(suite.s3, "copy", versioned);

const text = (bucket: string, key: string, versionId?: string) => getText(suite.s3, bucket, key, versionId);

describe("CopyObject", () => {
  it("COPY keeps the source's metadata and content type; the ETag is the source's MD5", async () => {
    const bucket = await newBucket();
    const put = await suite.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "src",
        Body: "copy me",
        ContentType: "text/x-src",
        Metadata: { origin: "src" },
      }),
    );
    const copy = await suite.s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: "dst", CopySource: `${bucket}/src` }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe(put.ETag);
    expect(copy.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "dst" }));
    expect(head.ContentType).toBe("text/x-src");
    expect(head.Metadata).toEqual({ origin: "src" });
    expect(await text(bucket, "dst")).toBe("copy me");
  });

  it("REPLACE takes only the request's metadata and content type", async () => {
    const bucket = await newBucket();
    await suite.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "src",
        Body: "x",
        ContentType: "text/x-src",
        Metadata: { origin: "src" },
      }),
    );
    await suite.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "dst",
        CopySource: `${bucket}/src`,
        MetadataDirective: "REPLACE",
        ContentType: "application/json",
        Metadata: { fresh: "yes" },
      }),
    );
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "dst" }));
    expect(head.Metadata).toEqual({ fresh: "yes" });
    expect(head.ContentType).toBe("application/json");
  });

  it("onto itself without a change is InvalidRequest; with REPLACE it rewrites the metadata", async () => {
    const bucket = await newBucket();
    await suite.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "self", Body: "same bytes", Metadata: { v: "1" } }),
    );
    const error = await expectSdkError(
      suite.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "self", CopySource: `${bucket}/self` })),
      "InvalidRequest",
      400,
    );
    expect(error.message).toMatch(/copy an object to itself/);
    await suite.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "self",
        CopySource: `${bucket}/self`,
        MetadataDirective: "REPLACE",
        Metadata: { v: "2" },
      }),
    );
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "self" }))).Metadata).toEqual({ v: "2" });
    expect(await text(bucket, "self")).toBe("same bytes");
  });

  it("copies a specific version and names it in x-amz-copy-source-version-id", async () => {
    const bucket = await newBucket(true);
    const v1 = (await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "first" })))
      .VersionId as string;
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "second" }));
    const copy = await suite.s3.send(
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
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "special" }));
    const copy = await suite.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "plain",
        CopySource: `${bucket}/${encodeURIComponent(key)}`,
        ChecksumAlgorithm: "SHA256",
      }),
    );
    expect(copy.CopyObjectResult?.ChecksumSHA256).toBe(sha256Base64("special"));
    expect(await text(bucket, "plain")).toBe("special");
  });

  it("a missing source is NoSuchKey; failing copy-source conditions are 412", async () => {
    const bucket = await newBucket();
    await expectSdkError(
      suite.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "d", CopySource: `${bucket}/none` })),
      "NoSuchKey",
      404,
    );
    const { ETag } = await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "s", Body: "x" }));
    const base = { Bucket: bucket, Key: "d", CopySource: `${bucket}/s` };
    await expectSdkError(
      suite.s3.send(new CopyObjectCommand({ ...base, CopySourceIfMatch: '"other"' })),
      "PreconditionFailed",
      412,
    );
    await expectSdkError(
      suite.s3.send(new CopyObjectCommand({ ...base, CopySourceIfNoneMatch: ETag })),
      "PreconditionFailed",
      412,
    );
    expect(
      (await suite.s3.send(new CopyObjectCommand({ ...base, CopySourceIfMatch: ETag }))).CopyObjectResult?.ETag,
    ).toBe(ETag);
  });

  it("tags are copied by default and replaced with TaggingDirective REPLACE", async () => {
    const bucket = await newBucket();
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "s", Body: "x", Tagging: "a=1&b=2" }));
    await suite.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "d1", CopySource: `${bucket}/s` }));
    expect((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "d1" }))).TagSet).toHaveLength(2);
    await suite.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "d2",
        CopySource: `${bucket}/s`,
        TaggingDirective: "REPLACE",
        Tagging: "z=26",
      }),
    );
    expect((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "d2" }))).TagSet).toEqual([
      { Key: "z", Value: "26" },
    ]);
  });
});
