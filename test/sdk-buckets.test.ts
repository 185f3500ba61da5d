import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();

async function createBucket(client = suite.s3, name = bucketName(), region?: string): Promise<string> {
  await client.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region ? { CreateBucketConfiguration: { LocationConstraint: region as "eu-west-1" } } : {}),
    }),
  );
  return name;
}

describe("ListBuckets", () => {
  it("lists every bucket in name order with owner, creation date and region", async () => {
    const before = Date.now() - 1000;
    const names = [bucketName("lb-c"), bucketName("lb-a"), bucketName("lb-b")];
    for (const name of names) await createBucket(suite.s3, name, name.startsWith("lb-a") ? "eu-west-1" : undefined);
    const out = await suite.s3.send(new ListBucketsCommand({}));
    const listed = (out.Buckets ?? []).map((b) => b.Name as string);
    expect(listed).toEqual([...listed].sort());
    for (const name of names) expect(listed).toContain(name);
    expect(out.Owner?.ID).toBeTruthy();
    const a = out.Buckets?.find((b) => b.Name === names[1]);
    expect(a?.CreationDate).toBeInstanceOf(Date);
    expect(a?.CreationDate?.getTime()).toBeGreaterThanOrEqual(before);
    expect(a?.BucketRegion).toBe("eu-west-1");
    expect(out.Buckets?.find((b) => b.Name === names[0])?.BucketRegion).toBe("us-east-1");
  });

  it("filters by Prefix", async () => {
    const label = bucketName("pfx");
    const names = [`${label}-1`, `${label}-2`];
    for (const name of names) await createBucket(suite.s3, name);
    const out = await suite.s3.send(new ListBucketsCommand({ Prefix: label }));
    expect(out.Buckets?.map((b) => b.Name)).toEqual(names);
    expect(out.Prefix).toBe(label);
  });

  it("pages with MaxBuckets and ContinuationToken", async () => {
    const label = bucketName("page");
    const names = [1, 2, 3, 4, 5].map((n) => `${label}-${n}`);
    for (const name of names) await createBucket(suite.s3, name);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await suite.s3.send(
        new ListBucketsCommand({ Prefix: label, MaxBuckets: 2, ContinuationToken: token }),
      );
      expect(out.Buckets?.length ?? 0).toBeLessThanOrEqual(2);
      seen.push(...(out.Buckets ?? []).map((b) => b.Name as string));
      token = out.ContinuationToken;
      pages++;
    } while (token && pages < 10);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it("refuses MaxBuckets outside 1..10000 and a forged ContinuationToken", async () => {
    await expectSdkError(suite.s3.send(new ListBucketsCommand({ MaxBuckets: 0 })), "InvalidArgument", 400);
    await expectSdkError(suite.s3.send(new ListBucketsCommand({ MaxBuckets: 10_001 })), "InvalidArgument", 400);
    await expectSdkError(
      suite.s3.send(new ListBucketsCommand({ MaxBuckets: 1, ContinuationToken: "not a token!" })),
      "InvalidArgument",
      400,
    );
  });
});

describe("CreateBucket", () => {
  it("answers with Location /name, and HeadBucket then finds it in us-east-1", async () => {
    const name = bucketName();
    const out = await suite.s3.send(new CreateBucketCommand({ Bucket: name }));
    expect(out.Location).toBe(`/${name}`);
    const head = await suite.s3.send(new HeadBucketCommand({ Bucket: name }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(head.BucketRegion).toBe("us-east-1");
  });

  it("keeps a LocationConstraint, and re-creating outside us-east-1 is BucketAlreadyOwnedByYou", async () => {
    const name = await createBucket(suite.s3, bucketName(), "eu-west-1");
    expect((await suite.s3.send(new GetBucketLocationCommand({ Bucket: name }))).LocationConstraint).toBe("eu-west-1");
    expect((await suite.s3.send(new HeadBucketCommand({ Bucket: name }))).BucketRegion).toBe("eu-west-1");
    const error = await expectSdkError(createBucket(suite.s3, name, "eu-west-1"), "BucketAlreadyOwnedByYou", 409);
    expect(error.message).toMatch(/already own it/);
  });

  it("re-creating an owned us-east-1 bucket succeeds (the legacy us-east-1 answer)", async () => {
    const name = await createBucket();
    const again = await suite.s3.send(new CreateBucketCommand({ Bucket: name }));
    expect(again.$metadata.httpStatusCode).toBe(200);
  });

  const invalid = [
    "_x",
    "ab",
    "MyBucket",
    "192.168.1.1",
    "a..b",
    "-abc",
    "abc-",
    "abc.",
    "xn--abc",
    "sthree-abc",
    "bucket-s3alias",
    "bucket--ol-s3",
    "has_underscore",
    "space here",
    "a".repeat(64),
  ];
  it.each(invalid)("rejects %j with 400 InvalidBucketName", async (name) => {
    await expectSdkError(suite.s3.send(new CreateBucketCommand({ Bucket: name })), "InvalidBucketName", 400);
  });

  it.each(["abc", "a.b.c", "1-2-3", "a".repeat(63)])("accepts %j", async (name) => {
    const out = await suite.s3.send(new CreateBucketCommand({ Bucket: name }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    await suite.s3.send(new HeadBucketCommand({ Bucket: name }));
    await suite.s3.send(new DeleteBucketCommand({ Bucket: name }));
  });
});

describe("HeadBucket / GetBucketLocation", () => {
  it("HeadBucket on a missing bucket is a bodiless 404", async () => {
    const error = await expectSdkError(
      suite.s3.send(new HeadBucketCommand({ Bucket: bucketName("missing") })),
      "NotFound",
      404,
    );
    expect(error.$response?.headers["content-length"] ?? "0").toBe("0");
  });

  it("GetBucketLocation reports us-east-1 as an empty constraint", async () => {
    const name = await createBucket();
    const out = await suite.s3.send(new GetBucketLocationCommand({ Bucket: name }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.LocationConstraint ?? "").toBe("");
  });

  it("GetBucketLocation on a missing bucket is NoSuchBucket", async () => {
    await expectSdkError(
      suite.s3.send(new GetBucketLocationCommand({ Bucket: bucketName("missing") })),
      "NoSuchBucket",
      404,
    );
  });
});

describe("DeleteBucket", () => {
  it("refuses a bucket with objects, then deletes it once empty (204)", async () => {
    const name = await createBucket();
    await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" }));
    const error = await expectSdkError(suite.s3.send(new DeleteBucketCommand({ Bucket: name })), "BucketNotEmpty", 409);
    expect(error.message).toBe("The bucket you tried to delete is not empty");
    await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: "k" }));
    const out = await suite.s3.send(new DeleteBucketCommand({ Bucket: name }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(suite.s3.send(new HeadBucketCommand({ Bucket: name })), "NotFound", 404);
  });

  it("refuses a bucket whose only content is an in-progress multipart upload", async () => {
    const name = await createBucket();
    const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: name, Key: "big" }));
    await expectSdkError(suite.s3.send(new DeleteBucketCommand({ Bucket: name })), "BucketNotEmpty", 409);
    await suite.s3.send(new AbortMultipartUploadCommand({ Bucket: name, Key: "big", UploadId }));
    expect((await suite.s3.send(new DeleteBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(204);
  });

  it("refuses a versioned bucket that holds only a delete marker", async () => {
    const name = await createBucket();
    await suite.s3.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "x" }));
    await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: "k", VersionId: put.VersionId }));
    const marker = await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: "k" }));
    expect(marker.DeleteMarker).toBe(true);
    await expectSdkError(suite.s3.send(new DeleteBucketCommand({ Bucket: name })), "BucketNotEmpty", 409);
    await suite.s3.send(new DeleteObjectCommand({ Bucket: name, Key: "k", VersionId: marker.VersionId }));
    expect((await suite.s3.send(new DeleteBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(204);
  });

  it("deleting a missing bucket is NoSuchBucket", async () => {
    await expectSdkError(
      suite.s3.send(new DeleteBucketCommand({ Bucket: bucketName("missing") })),
      "NoSuchBucket",
      404,
    );
  });
});

describe("bucket tagging", () => {
  it("NoSuchTagSet before any tags, then put / get / replace / delete", async () => {
    const name = await createBucket();
    const none = await expectSdkError(
      suite.s3.send(new GetBucketTaggingCommand({ Bucket: name })),
      "NoSuchTagSet",
      404,
    );
    expect(none.message).toBe("The TagSet does not exist");
    const tags = [
      { Key: "team", Value: "storage" },
      { Key: "cost center", Value: "ünïcode & <xml>" },
    ];
    const put = await suite.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tags } }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect((await suite.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet).toEqual(tags);
    await suite.s3.send(
      new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "only", Value: "" }] } }),
    );
    expect((await suite.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet).toEqual([
      { Key: "only", Value: "" },
    ]);
    const deleted = await suite.s3.send(new DeleteBucketTaggingCommand({ Bucket: name }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(suite.s3.send(new GetBucketTaggingCommand({ Bucket: name })), "NoSuchTagSet", 404);
  });

  it("rejects duplicate tag keys with InvalidTag and keeps the old set", async () => {
    const name = await createBucket();
    await suite.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "a", Value: "1" }] } }));
    const duplicate = [
      { Key: "k", Value: "1" },
      { Key: "k", Value: "2" },
    ];
    await expectSdkError(
      suite.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: duplicate } })),
      "InvalidTag",
      400,
    );
    expect((await suite.s3.send(new GetBucketTaggingCommand({ Bucket: name }))).TagSet).toEqual([
      { Key: "a", Value: "1" },
    ]);
  });

  it("tagging a missing bucket is NoSuchBucket", async () => {
    const tagging = { TagSet: [{ Key: "a", Value: "b" }] };
    await expectSdkError(
      suite.s3.send(new PutBucketTaggingCommand({ Bucket: bucketName("missing"), Tagging: tagging })),
      "NoSuchBucket",
      404,
    );
  });
});

describe("coreweave profile bucket names", () => {
  const coreweave = useEmulator({ options: { profile: "coreweave" } });

  it.each(["my.bucket", "cw-x", "vip-data", "int", "xn--abc", "log-stitcher-ch-1", "ab", "Upper"])(
    "rejects %j",
    async (name) => {
      await expectSdkError(coreweave.s3.send(new CreateBucketCommand({ Bucket: name })), "InvalidBucketName", 400);
    },
  );

  it("accepts names the aws rules also allow, and names aws would refuse for its own reasons", async () => {
    for (const name of ["my-bucket-1", "internal", "sthree-x"]) {
      expect((await coreweave.s3.send(new CreateBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(200);
    }
    const listed = (await coreweave.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(listed).toEqual(["internal", "my-bucket-1", "sthree-x"]);
  });

  it("reports its default region for buckets made without a constraint", async () => {
    const name = await createBucket(coreweave.s3);
    expect((await coreweave.s3.send(new HeadBucketCommand({ Bucket: name }))).BucketRegion).toBe("US-EAST-04A");
  });
});
