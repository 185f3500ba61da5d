/**
 * Hostile request documents and object keys, sent byte for byte over raw sockets: each must get S3's error
 * code and status, leave nothing behind, and leave the server serving. Bodies, digests and streams are in
 * bad-input-digests.test.ts, bad-input-streams.test.ts and bad-input-concurrency.test.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { md5Base64 } from "./support/digests.js";
import { bucketName, startTestEmulator } from "./support/emulator.js";
import {
  createBucket,
  expectS3Error,
  expectServing,
  keyPath,
  listKeys,
  listTree,
  putObject,
  RawConnection,
  rawRequest,
  requestHead,
} from "./support/raw-http.js";
import { useEmulator } from "./support/suite.js";

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe("malformed XML documents", () => {
  const suite = useEmulator({ options: { maxDocumentBytes: 4096, minPartBytes: 1 } });
  const bucket = bucketName("xml");
  const sentinel = { key: "sentinel.txt", body: "still here" };
  let uploadId: string;
  let partEtag: string;

  beforeAll(async () => {
    await createBucket(suite.port, bucket);
    await putObject(suite.port, bucket, sentinel.key, sentinel.body);
    const created = await rawRequest(suite.port, { method: "POST", path: `${keyPath(bucket, "mpu.bin")}?uploads` });
    uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text)?.[1] as string;
    const part = await rawRequest(suite.port, {
      method: "PUT",
      path: `${keyPath(bucket, "mpu.bin")}?partNumber=1&uploadId=${uploadId}`,
      body: "part one",
    });
    partEtag = part.headers.etag as string;
  });

  /** After every refusal: the sentinel still reads back and the listing holds exactly it. */
  async function expectUnchanged(): Promise<void> {
    await expectServing(suite.port, bucket, sentinel.key, sentinel.body);
    expect(await listKeys(suite.port, bucket)).toEqual([sentinel.key]);
  }

  // Two ways to be malformed: not well-formed (cut off), and well-formed with the wrong root element.
  const variants = (valid: string) => [
    ["truncated", valid.slice(0, -12)],
    ["mismatched tags", valid.replace(/<\/(\w+)>$/, "</Wrong>")],
    ["wrong root", `<Bogus ${NS}><Status>Enabled</Status></Bogus>`],
  ];

  describe.each(
    variants(
      `<CreateBucketConfiguration ${NS}><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`,
    ),
  )("CreateBucket configuration, %s", (_label, body) => {
    it("is MalformedXML and creates no bucket", async () => {
      const name = bucketName("never");
      expectS3Error(await rawRequest(suite.port, { method: "PUT", path: `/${name}`, body }), 400, "MalformedXML");
      expect((await rawRequest(suite.port, { method: "HEAD", path: `/${name}` })).status).toBe(404);
      expect((await rawRequest(suite.port, { method: "GET", path: "/" })).text).not.toContain(name);
      await expectUnchanged();
    });
  });

  describe.each(variants(`<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`))(
    "PutBucketVersioning, %s",
    (_label, body) => {
      it("is MalformedXML and leaves versioning off", async () => {
        const response = await rawRequest(suite.port, { method: "PUT", path: `/${bucket}?versioning`, body });
        expectS3Error(response, 400, "MalformedXML");
        const state = await rawRequest(suite.port, { method: "GET", path: `/${bucket}?versioning` });
        expect(state.text).not.toContain("<Status>");
        await expectUnchanged();
      });
    },
  );

  describe.each(variants(`<Delete ${NS}><Object><Key>${sentinel.key}</Key></Object></Delete>`))(
    "DeleteObjects, %s",
    (_label, body) => {
      it("is MalformedXML and deletes nothing", async () => {
        const headers = { "content-md5": md5Base64(body) };
        const response = await rawRequest(suite.port, { method: "POST", path: `/${bucket}?delete`, headers, body });
        expectS3Error(response, 400, "MalformedXML");
        await expectUnchanged();
      });
    },
  );

  describe.each(
    variants(
      `<CompleteMultipartUpload ${NS}><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>`,
    ),
  )("CompleteMultipartUpload, %s", (_label, body) => {
    it("is MalformedXML, creates no object and keeps the upload and its part", async () => {
      const path = `${keyPath(bucket, "mpu.bin")}?uploadId=${uploadId}`;
      expectS3Error(await rawRequest(suite.port, { method: "POST", path, body }), 400, "MalformedXML");
      expectS3Error(
        await rawRequest(suite.port, { method: "GET", path: keyPath(bucket, "mpu.bin") }),
        404,
        "NoSuchKey",
      );
      const parts = await rawRequest(suite.port, { method: "GET", path });
      expect(parts.text).toContain(`<ETag>${partEtag.replace(/"/g, "&quot;")}</ETag>`);
      await expectUnchanged();
    });
  });

  describe.each(variants(`<Tagging ${NS}><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>`))(
    "PutObjectTagging, %s",
    (_label, body) => {
      it("is MalformedXML and sets no tags", async () => {
        const path = `${keyPath(bucket, sentinel.key)}?tagging`;
        expectS3Error(await rawRequest(suite.port, { method: "PUT", path, body }), 400, "MalformedXML");
        expect((await rawRequest(suite.port, { method: "GET", path })).text).not.toContain("<Tag>");
        await expectUnchanged();
      });
    },
  );

  it("the upload the malformed completions left alone still completes with a valid document", async () => {
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${partEtag}</ETag></Part></CompleteMultipartUpload>`;
    const path = `${keyPath(bucket, "mpu.bin")}?uploadId=${uploadId}`;
    expect((await rawRequest(suite.port, { method: "POST", path, body })).status).toBe(200);
    await expectServing(suite.port, bucket, "mpu.bin", "part one");
    await rawRequest(suite.port, { method: "DELETE", path: keyPath(bucket, "mpu.bin") });
  });

  it("a declared body over maxDocumentBytes is MaxMessageLengthExceeded before it is sent, then the connection closes", async () => {
    const connection = await RawConnection.open(suite.port);
    const path = `${keyPath(bucket, sentinel.key)}?tagging`;
    await connection.write(requestHead(suite.port, { method: "PUT", path, headers: { "content-length": 4097 } }));
    expectS3Error(await connection.readResponse(), 400, "MaxMessageLengthExceeded");
    expect(await connection.closesWithin(2_000)).toBe(true);
    await expectUnchanged();
  });

  it("an undeclared (chunked) body over maxDocumentBytes is MaxMessageLengthExceeded while reading", async () => {
    const tag = "<Tag><Key>k</Key><Value>v</Value></Tag>";
    const document = `<Tagging><TagSet>${tag.repeat(200)}</TagSet></Tagging>`;
    expect(document.length).toBeGreaterThan(4096);
    const body = `${document.length.toString(16)}\r\n${document}\r\n0\r\n\r\n`;
    const path = `${keyPath(bucket, sentinel.key)}?tagging`;
    const headers = { "transfer-encoding": "chunked", "content-length": null };
    expectS3Error(
      await rawRequest(suite.port, { method: "PUT", path, headers, body }),
      400,
      "MaxMessageLengthExceeded",
    );
    expect((await rawRequest(suite.port, { method: "GET", path })).text).not.toContain("<Tag>");
    await expectUnchanged();
  });
});

describe("hostile keys on a data-dir emulator", () => {
  let base: string;
  let dataDir: string;
  let emulator: RunningEmulator;
  let port: number;
  let tmpBefore: Set<string>;
  const bucket = bucketName("keys");

  beforeAll(async () => {
    tmpBefore = new Set(readdirSync(tmpdir()));
    base = mkdtempSync(join(tmpdir(), "inv-bad-keys-"));
    // Two levels deep, so that `../../x` resolved against the data dir would still land inside `base`.
    dataDir = join(base, "one", "two", "data");
    mkdirSync(dataDir, { recursive: true });
    emulator = await startTestEmulator({ dataDir, inMemory: false });
    port = emulator.port;
    await createBucket(port, bucket);
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(base, { recursive: true, force: true });
  });

  // [key as stored, path as sent raw, another spelling of the same key, the key a normalising server would use]
  const dotKeys = [
    ["a/../b", "a/../b", "a%2F..%2Fb", "b"],
    ["../../etc/passwd", "../../etc/passwd", "%2E%2E/%2E%2E/etc/passwd", "etc/passwd"],
    ["../x", "%2e%2e/x", "../x", "x"],
    ["../../escape", "%2e%2e%2f%2e%2e%2fescape", "../../escape", "escape"],
  ] as const;

  it.each(dotKeys)(
    "%s is a literal key: its own bytes, under both spellings, and no normalised twin",
    async (key, raw, alias, twin) => {
      const body = `bytes of ${key}`;
      expect((await rawRequest(port, { method: "PUT", path: `/${bucket}/${raw}`, body })).status).toBe(200);
      for (const path of [raw, alias]) {
        const got = await rawRequest(port, { method: "GET", path: `/${bucket}/${path}` });
        expect(got.status).toBe(200);
        expect(got.text).toBe(body);
      }
      expectS3Error(await rawRequest(port, { method: "GET", path: `/${bucket}/${twin}` }), 404, "NoSuchKey");
      expect(await listKeys(port, bucket)).toContain(key);
    },
  );

  it("no file appeared outside the data dir, and inside it only the engine's own files", async () => {
    const keys = await listKeys(port, bucket);
    expect(keys.sort()).toEqual(dotKeys.map(([key]) => key).sort());
    const outside = listTree(base, (rel) => rel === join("one", "two", "data"));
    expect(outside).toEqual(["one/", "one/two/"]);
    const inside = listTree(dataDir).filter((rel) => !/^(blobs|tmp)(\/|$)/.test(rel));
    expect(inside.every((rel) => /^(metadata|small-blobs)\.sqlite3/.test(rel))).toBe(true);
    // Beside our temp dir: nothing named after a key's segments (other tests may add their own dirs).
    const added = readdirSync(tmpdir()).filter((name) => !tmpBefore.has(name));
    expect(added.filter((name) => ["etc", "passwd", "x", "b", "escape"].includes(name))).toEqual([]);
  });

  it("a NUL byte in a key round-trips (S3 keys are any UTF-8; NUL is legal, awkward only in XML)", async () => {
    const key = "nul\u0000key";
    const put = await rawRequest(port, { method: "PUT", path: `/${bucket}/nul%00key`, body: "nul bytes" });
    // The brief allows refusing it, but only as a well-formed 400 S3 error, never a crash.
    if (put.status !== 200) {
      expectS3Error(put, 400, put.code as string);
      expect(await listKeys(port, bucket)).not.toContain(key);
      return;
    }
    const got = await rawRequest(port, { method: "GET", path: `/${bucket}/nul%00key` });
    expect(got.text).toBe("nul bytes");
    expect(await listKeys(port, bucket)).toContain(key);
    expectS3Error(await rawRequest(port, { method: "GET", path: `/${bucket}/nul` }), 404, "NoSuchKey");
    expect((await rawRequest(port, { method: "DELETE", path: `/${bucket}/nul%00key` })).status).toBe(204);
  });
});

describe("key length and URI encoding", () => {
  const suite = useEmulator();
  const bucket = bucketName("uri");

  beforeAll(async () => {
    await createBucket(suite.port, bucket);
    await putObject(suite.port, bucket, "sentinel", "ok");
  });

  it("a 1024-byte key is accepted (the limit is inclusive)", async () => {
    await putObject(suite.port, bucket, "k".repeat(1024), "max");
    await expectServing(suite.port, bucket, "k".repeat(1024), "max");
    await rawRequest(suite.port, { method: "DELETE", path: keyPath(bucket, "k".repeat(1024)) });
  });

  it.each([
    ["1025 ASCII bytes", "k".repeat(1025)],
    ["342 euro signs: 342 characters but 1026 UTF-8 bytes", "\u20ac".repeat(342)],
  ])("a key of %s is KeyTooLongError, for PUT and CreateMultipartUpload", async (_label, key) => {
    const put = await rawRequest(suite.port, { method: "PUT", path: keyPath(bucket, key), body: "too long" });
    expectS3Error(put, 400, "KeyTooLongError");
    const mpu = await rawRequest(suite.port, { method: "POST", path: `${keyPath(bucket, key)}?uploads` });
    expectS3Error(mpu, 400, "KeyTooLongError");
    expect(await listKeys(suite.port, bucket)).toEqual(["sentinel"]);
    expect((await rawRequest(suite.port, { method: "GET", path: `/${bucket}?uploads` })).text).not.toContain(
      "<Upload>",
    );
    await expectServing(suite.port, bucket, "sentinel", "ok");
  });

  it.each([
    ["a non-hex escape", "PUT", `/${bucket}/bad%zzkey`],
    ["a lone percent", "PUT", `/${bucket}/bad%`],
    ["an escape cut short", "GET", `/${bucket}/bad%4`],
    ["escapes that are not UTF-8", "PUT", `/${bucket}/bad%C3%28`],
    ["a truncated UTF-8 sequence", "PUT", `/${bucket}/bad%E2%82`],
    ["a bad escape in the bucket name", "GET", `/bu%zzcket/key`],
  ])("%s in the path is InvalidURI", async (_label, method, path) => {
    const response = await rawRequest(suite.port, { method, path, ...(method === "PUT" ? { body: "x" } : {}) });
    expectS3Error(response, 400, "InvalidURI");
    expect(await listKeys(suite.port, bucket)).toEqual(["sentinel"]);
    await expectServing(suite.port, bucket, "sentinel", "ok");
  });
});
