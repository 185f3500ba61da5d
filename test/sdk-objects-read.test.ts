import { GetObjectCommand, type GetObjectCommandInput, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { expectSdkError, s3Failure } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator({ bucket: "read" });
let etag: string;
let lastModified: Date;
const DIGITS = "0123456789";
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
  const put = await suite.s3.send(
    new PutObjectCommand({ Bucket: suite.bucket, Key: "digits", Body: DIGITS, ContentType: "text/plain" }),
  );
  etag = put.ETag as string;
  lastModified = (await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "digits" })))
    .LastModified as Date;
});

async function get(input: Partial<GetObjectCommandInput> = {}) {
  const out = await suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "digits", ...input }));
  return { out, text: await (out.Body as { transformToString(): Promise<string> }).transformToString() };
}

describe("GetObject Range", () => {
  it.each([
    ["bytes=2-5", "2345", "bytes 2-5/10"],
    ["bytes=7-", "789", "bytes 7-9/10"],
    ["bytes=-3", "789", "bytes 7-9/10"],
    ["bytes=0-0", "0", "bytes 0-0/10"],
    ["bytes=5-100", "56789", "bytes 5-9/10"],
    ["bytes=-100", DIGITS, "bytes 0-9/10"],
  ])("%s -> 206 %j with Content-Range %s", async (range, body, contentRange) => {
    const { out, text } = await get({ Range: range });
    expect(out.$metadata.httpStatusCode).toBe(206);
    expect(text).toBe(body);
    expect(out.ContentRange).toBe(contentRange);
    expect(out.ContentLength).toBe(body.length);
    expect(out.ETag).toBe(etag);
    expect(out.ChecksumCRC32).toBeUndefined();
  });

  it.each(["bytes=10-", "bytes=20-30", "bytes=-0"])(
    "%s is 416 InvalidRange with Content-Range bytes */10",
    async (range) => {
      const error = await expectSdkError(get({ Range: range }), "InvalidRange", 416);
      expect(error.$response?.headers["content-range"]).toBe("bytes */10");
    },
  );

  it("ignores a Range it cannot parse and answers the whole object with 200", async () => {
    const { out, text } = await get({ Range: "bytes=abc" });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(text).toBe(DIGITS);
    expect(out.ContentRange).toBeUndefined();
  });

  it("HeadObject honours Range too", async () => {
    const head = await suite.s3.send(
      new HeadObjectCommand({ Bucket: suite.bucket, Key: "digits", Range: "bytes=1-3" }),
    );
    expect(head.$metadata.httpStatusCode).toBe(206);
    expect(head.ContentLength).toBe(3);
    expect(head.ContentRange).toBe("bytes 1-3/10");
  });

  it("a range on an empty object is InvalidRange", async () => {
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "empty", Body: "" }));
    await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "empty", Range: "bytes=0-" })),
      "InvalidRange",
      416,
    );
  });
});

describe("conditional GET / HEAD", () => {
  it("If-Match: the current ETag passes, another is 412 PreconditionFailed", async () => {
    expect((await get({ IfMatch: etag })).text).toBe(DIGITS);
    expect((await get({ IfMatch: `"nope", ${etag}` })).text).toBe(DIGITS);
    await expectSdkError(get({ IfMatch: '"0123"' }), "PreconditionFailed", 412);
    const head = await s3Failure(
      suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "digits", IfMatch: '"0123"' })),
    );
    expect(head.$metadata.httpStatusCode).toBe(412);
  });

  it("If-None-Match: the current ETag is 304 with the ETag and no body; * too; another ETag passes", async () => {
    for (const value of [etag, "*"]) {
      const error = await s3Failure(get({ IfNoneMatch: value }));
      expect(error.$metadata.httpStatusCode).toBe(304);
      expect(error.$response?.headers.etag).toBe(etag);
    }
    const head = await s3Failure(
      suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "digits", IfNoneMatch: etag })),
    );
    expect(head.$metadata.httpStatusCode).toBe(304);
    expect((await get({ IfNoneMatch: '"other"' })).text).toBe(DIGITS);
  });

  it("If-Modified-Since: not modified since LastModified (or later) is 304; an earlier date passes", async () => {
    expect((await s3Failure(get({ IfModifiedSince: lastModified }))).$metadata.httpStatusCode).toBe(304);
    expect(
      (await s3Failure(get({ IfModifiedSince: new Date(lastModified.getTime() + DAY) }))).$metadata.httpStatusCode,
    ).toBe(304);
    expect((await get({ IfModifiedSince: new Date(lastModified.getTime() - DAY) })).text).toBe(DIGITS);
  });

  it("If-Unmodified-Since: an earlier date is 412; LastModified itself and later pass", async () => {
    await expectSdkError(get({ IfUnmodifiedSince: new Date(lastModified.getTime() - DAY) }), "PreconditionFailed", 412);
    expect((await get({ IfUnmodifiedSince: lastModified })).text).toBe(DIGITS);
    expect((await get({ IfUnmodifiedSince: new Date(lastModified.getTime() + DAY) })).text).toBe(DIGITS);
  });

  it("If-Match that holds overrides a failing If-Unmodified-Since (200)", async () => {
    const { out } = await get({ IfMatch: etag, IfUnmodifiedSince: new Date(lastModified.getTime() - DAY) });
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it("If-None-Match that holds ignores If-Modified-Since (200)", async () => {
    const { out } = await get({ IfNoneMatch: '"other"', IfModifiedSince: new Date(lastModified.getTime() + DAY) });
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});

describe("response header overrides", () => {
  it("response-* query parameters replace the stored headers on GET", async () => {
    const expires = new Date("2031-05-06T07:08:09Z");
    const { out, text } = await get({
      ResponseContentType: "application/x-test",
      ResponseContentDisposition: "attachment; filename=digits.txt",
      ResponseContentLanguage: "fr",
      ResponseCacheControl: "no-store",
      ResponseContentEncoding: "identity",
      ResponseExpires: expires,
    });
    expect(text).toBe(DIGITS);
    expect(out.ContentType).toBe("application/x-test");
    expect(out.ContentDisposition).toBe("attachment; filename=digits.txt");
    expect(out.ContentLanguage).toBe("fr");
    expect(out.CacheControl).toBe("no-store");
    expect(out.ContentEncoding).toBe("identity");
    expect(out.Expires?.getTime()).toBe(expires.getTime());
    // The stored object is untouched.
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "digits" }))).ContentType).toBe(
      "text/plain",
    );
  });
});

describe("missing things", () => {
  it("GET of a missing key is NoSuchKey; HEAD is a bodiless 404", async () => {
    const error = await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "nope" })),
      "NoSuchKey",
      404,
    );
    expect(error.message).toBe("The specified key does not exist.");
    await expectSdkError(suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "nope" })), "NotFound", 404);
  });

  it("GET in a missing bucket is NoSuchBucket", async () => {
    await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: bucketName("missing"), Key: "k" })),
      "NoSuchBucket",
      404,
    );
  });

  it("a key is not a prefix: GET of a prefix of a stored key is NoSuchKey", async () => {
    await expectSdkError(suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "digit" })), "NoSuchKey", 404);
  });
});
