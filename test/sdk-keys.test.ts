import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { expectSdkError, getText } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator({ bucket: "keys" });

const text = (key: string) => getText(suite.s3, suite.bucket, key);

async function listed(prefix: string): Promise<string[]> {
  const out = await suite.s3.send(new ListObjectsV2Command({ Bucket: suite.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((c) => c.Key as string);
}

const KEYS = [
  "ünïcödé/日本語/😀.txt",
  "with space.txt",
  "a+b.txt",
  "100%.csv",
  "%41%20not-decoded-twice",
  "question?mark",
  "hash#tag",
  "double//slash",
  "trailing/",
  "/leading-slash",
  "semi;colon=equals&amp",
  "tilde~star*quote'paren()",
  "brackets[]{}<>|^`\\",
  "dots/../and/./here",
  "tab\there",
  "x-id=GetObject",
];

describe("keys with reserved and non-ASCII characters", () => {
  it.each(KEYS)("%j: PUT, GET, HEAD, list and DELETE all see the same key", async (key) => {
    const prefix = `k${KEYS.indexOf(key)}-`;
    const full = `${prefix}${key}`;
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: full, Body: `body of ${full}` }));
    expect(await text(full)).toBe(`body of ${full}`);
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: full }))).ContentLength).toBe(
      Buffer.byteLength(`body of ${full}`),
    );
    expect(await listed(prefix)).toEqual([full]);
    await suite.s3.send(new DeleteObjectCommand({ Bucket: suite.bucket, Key: full }));
    expect(await listed(prefix)).toEqual([]);
  });

  it("a key with a plus is not the key with a space", async () => {
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "pm/a+b", Body: "plus" }));
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "pm/a b", Body: "space" }));
    expect(await text("pm/a+b")).toBe("plus");
    expect(await text("pm/a b")).toBe("space");
    expect(await listed("pm/")).toEqual(["pm/a b", "pm/a+b"]);
  });

  it("a key and the same key with a trailing slash are different objects", async () => {
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "ts/dir", Body: "file" }));
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "ts/dir/", Body: "" }));
    expect(await text("ts/dir")).toBe("file");
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "ts/dir/" }))).ContentLength).toBe(
      0,
    );
    expect(await listed("ts/")).toEqual(["ts/dir", "ts/dir/"]);
  });

  it("keys differing only in Unicode normalisation are different objects", async () => {
    const composed = "nf/\u00e9";
    const decomposed = "nf/e\u0301";
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: composed, Body: "composed" }));
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: decomposed, Body: "decomposed" }));
    expect(await text(composed)).toBe("composed");
    expect(await text(decomposed)).toBe("decomposed");
    expect((await listed("nf/")).length).toBe(2);
  });
});

describe("key length", () => {
  it("1024 bytes is accepted, also as 512 two-byte characters", async () => {
    for (const key of ["k".repeat(1024), "é".repeat(512)]) {
      expect(Buffer.byteLength(key)).toBe(1024);
      await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: key, Body: "long" }));
      expect(await text(key)).toBe("long");
    }
  });

  it("1025 bytes is KeyTooLongError (400) on PUT, copy and multipart", async () => {
    for (const key of ["k".repeat(1025), `${"é".repeat(512)}x`]) {
      expect(Buffer.byteLength(key)).toBe(1025);
      const error = await expectSdkError(
        suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: key, Body: "x" })),
        "KeyTooLongError",
        400,
      );
      expect(error.message).toBe("Your key is too long");
    }
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "short", Body: "x" }));
    const long = "c".repeat(1025);
    await expectSdkError(
      suite.s3.send(new CopyObjectCommand({ Bucket: suite.bucket, Key: long, CopySource: `${suite.bucket}/short` })),
      "KeyTooLongError",
      400,
    );
    await expectSdkError(
      suite.s3.send(new CreateMultipartUploadCommand({ Bucket: suite.bucket, Key: long })),
      "KeyTooLongError",
      400,
    );
    expect(await listed("c")).toEqual([]);
  });
});
