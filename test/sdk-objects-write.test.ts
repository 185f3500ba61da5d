import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3ServiceException,
  type Tag,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { nodeHttpRequest } from "./support/node-http.js";
import { createSdkBucket, expectSdkError, getText } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();

const newBucket = (versioned = false) => createSdkBucket(suite.s3, "write", versioned);

const text = (bucket: string, key: string, versionId?: string) => getText(suite.s3, bucket, key, versionId);

const sortTags = (tags: Tag[] | undefined) =>
  [...(tags ?? [])].sort((a, b) => String(a.Key).localeCompare(String(b.Key)));

describe("DeleteObject", () => {
  it("deletes (204) and the key is gone; deleting a missing key is 204 too", async () => {
    const bucket = await newBucket();
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" }));
    const out = await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect(out.DeleteMarker).toBeUndefined();
    await expectSdkError(suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })), "NoSuchKey", 404);
    expect(
      (await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "never" }))).$metadata.httpStatusCode,
    ).toBe(204);
  });

  it("in a missing bucket is NoSuchBucket", async () => {
    await expectSdkError(
      suite.s3.send(new DeleteObjectCommand({ Bucket: bucketName("missing"), Key: "k" })),
      "NoSuchBucket",
      404,
    );
  });
});

describe("DeleteObjects", () => {
  it("Quiet false reports every key, existing or not, and deletes them", async () => {
    const bucket = await newBucket();
    for (const key of ["a", "b/c"]) await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const out = await suite.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "a" }, { Key: "b/c" }, { Key: "missing" }], Quiet: false },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key)).toEqual(["a", "b/c", "missing"]);
    expect(out.Errors ?? []).toEqual([]);
    await expectSdkError(suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "b/c" })), "NotFound", 404);
  });

  it("Quiet true reports nothing but still deletes", async () => {
    const bucket = await newBucket();
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "q", Body: "x" }));
    const out = await suite.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "q" }], Quiet: true } }),
    );
    expect(out.Deleted ?? []).toEqual([]);
    expect(out.Errors ?? []).toEqual([]);
    await expectSdkError(suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "q" })), "NotFound", 404);
  });

  it("with VersionId removes that version; without, adds a delete marker; deleting the marker restores the object", async () => {
    const bucket = await newBucket(true);
    const v1 = (await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "one" })))
      .VersionId as string;
    const v2 = (await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "two" })))
      .VersionId as string;
    const byVersion = await suite.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "k", VersionId: v1 }] } }),
    );
    expect(byVersion.Deleted).toEqual([{ Key: "k", VersionId: v1 }]);
    const versions = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v2]);

    const marker = await suite.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "k" }] } }),
    );
    const created = marker.Deleted?.[0];
    expect(created?.DeleteMarker).toBe(true);
    expect(created?.DeleteMarkerVersionId).toBeTruthy();
    await expectSdkError(suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })), "NoSuchKey", 404);

    const unmark = await suite.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "k", VersionId: created?.DeleteMarkerVersionId }] },
      }),
    );
    expect(unmark.Deleted?.[0]).toMatchObject({
      Key: "k",
      VersionId: created?.DeleteMarkerVersionId,
      DeleteMarker: true,
    });
    expect(await text(bucket, "k")).toBe("two");
  });

  it("more than 1000 keys is MalformedXML; no integrity header at all is InvalidRequest", async () => {
    const bucket = await newBucket();
    const objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    await expectSdkError(
      suite.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } })),
      "MalformedXML",
      400,
    );
    const body = "<Delete><Object><Key>a</Key></Object></Delete>";
    const response = await nodeHttpRequest(suite.port, {
      method: "POST",
      path: `/${bucket}?delete`,
      headers: { "content-length": body.length },
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain("<Code>InvalidRequest</Code>");
    expect(response.body).toContain("Content-MD5");
  });
});

describe("conditional PutObject", () => {
  it("If-None-Match * creates a new key and refuses an existing one with 412", async () => {
    const bucket = await newBucket();
    const first = await suite.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "once", Body: "first", IfNoneMatch: "*" }),
    );
    expect(first.$metadata.httpStatusCode).toBe(200);
    await expectSdkError(
      suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "once", Body: "second", IfNoneMatch: "*" })),
      "PreconditionFailed",
      412,
    );
    expect(await text(bucket, "once")).toBe("first");
  });

  it("If-Match writes only over the named ETag; a missing key is NoSuchKey", async () => {
    const bucket = await newBucket();
    const { ETag } = await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v1" }));
    await expectSdkError(
      suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v2", IfMatch: '"stale"' })),
      "PreconditionFailed",
      412,
    );
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v2", IfMatch: ETag }));
    expect(await text(bucket, "cas")).toBe("v2");
    await expectSdkError(
      suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "none", Body: "x", IfMatch: ETag })),
      "NoSuchKey",
      404,
    );
  });
});

describe("object tagging", () => {
  it("x-amz-tagging on PUT shows as TagCount on GET and in GetObjectTagging", async () => {
    const bucket = await newBucket();
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "t", Body: "x", Tagging: "a=1&b=two%20words&c=" }));
    expect((await suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "t" }))).TagCount).toBe(3);
    const tags = await suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "t" }));
    expect(sortTags(tags.TagSet)).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "two words" },
      { Key: "c", Value: "" },
    ]);
  });

  it("put replaces the set, delete empties it (204); versioned buckets name the version", async () => {
    const bucket = await newBucket(true);
    const { VersionId } = await suite.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "t", Body: "x", Tagging: "old=1" }),
    );
    const put = await suite.s3.send(
      new PutObjectTaggingCommand({ Bucket: bucket, Key: "t", Tagging: { TagSet: [{ Key: "new", Value: "ü" }] } }),
    );
    expect(put.VersionId).toBe(VersionId);
    expect((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "t" }))).TagSet).toEqual([
      { Key: "new", Value: "ü" },
    ]);
    const del = await suite.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "t" }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "t" }))).TagSet ?? []).toEqual([]);
    expect((await suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "t" }))).TagCount).toBeUndefined();
  });

  it("tagging a missing key is NoSuchKey; more than 10 tags is refused with 400", async () => {
    const bucket = await newBucket();
    await expectSdkError(suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "none" })), "NoSuchKey", 404);
    await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "many", Body: "x" }));
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    const error = await suite.s3
      .send(new PutObjectTaggingCommand({ Bucket: bucket, Key: "many", Tagging: { TagSet: eleven } }))
      .then(
        () => undefined,
        (e: S3ServiceException) => e,
      );
    expect(error?.$metadata.httpStatusCode).toBe(400);
    expect(error?.message).toMatch(/cannot be greater than 10/);
    expect((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "many" }))).TagSet ?? []).toEqual(
      [],
    );
  });
});
