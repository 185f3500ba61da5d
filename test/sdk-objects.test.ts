import { randomBytes } from "node:crypto";
import { createReadStream, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { crc32Base64, md5Hex, sha256Base64 } from "./support/digests.js";
import { nodeHttpRequest } from "./support/node-http.js";
import { expectSdkError, getBytes } from "./support/sdk.js";
import { useEmulator, useTempDir } from "./support/suite.js";

const suite = useEmulator({ bucket: "objects" });
const scratch = useTempDir("sdk-objects-").path;

const bytesOf = (key: string) => getBytes(suite.s3, suite.bucket, key);

/** A request through node:http, for what the SDK will not send. */
const raw = (method: string, path: string, headers: Record<string, string>, body: string) =>
  nodeHttpRequest(suite.port, { method, path, headers, body });

/** Bytes straight onto a socket, for requests node's http client would complete (no Content-Length). */
function rawSocket(text: string) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(suite.port, "127.0.0.1", () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}

describe("PutObject bodies", () => {
  it("stores a string body; the ETag is the quoted MD5 hex", async () => {
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "string", Body: "hello wörld" }));
    expect(put.ETag).toBe(`"${md5Hex("hello wörld")}"`);
    expect((await bytesOf("string")).toString("utf8")).toBe("hello wörld");
  });

  it("stores a Buffer body byte for byte, including NUL and high bytes", async () => {
    const body = Buffer.concat([Buffer.from([0, 255, 13, 10, 0]), randomBytes(4096)]);
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "buffer", Body: body }));
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    expect((await bytesOf("buffer")).equals(body)).toBe(true);
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "buffer" }));
    expect(head.ContentLength).toBe(body.length);
  });

  it("stores a Readable with ContentLength (aws-chunked with a CRC32 trailer) without framing", async () => {
    const parts = [randomBytes(1000), randomBytes(70_000), Buffer.from("tail\r\n0\r\n")];
    const body = Buffer.concat(parts);
    const put = await suite.s3.send(
      new PutObjectCommand({
        Bucket: suite.bucket,
        Key: "readable",
        Body: Readable.from(parts),
        ContentLength: body.length,
      }),
    );
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    expect(put.ChecksumCRC32).toBe(crc32Base64(body));
    expect((await bytesOf("readable")).equals(body)).toBe(true);
  });

  it("stores a file stream without ContentLength (aws-chunked, decoded length) without framing", async () => {
    const body = randomBytes(300_000);
    const file = join(scratch, "upload.bin");
    writeFileSync(file, body);
    const put = await suite.s3.send(
      new PutObjectCommand({
        Bucket: suite.bucket,
        Key: "file-stream",
        Body: createReadStream(file),
        ChecksumAlgorithm: "SHA256",
      }),
    );
    expect(put.ChecksumSHA256).toBe(sha256Base64(body));
    const got = await bytesOf("file-stream");
    expect(got.length).toBe(body.length);
    expect(got.equals(body)).toBe(true);
  });

  it("stores an empty body", async () => {
    const put = await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "empty", Body: "" }));
    expect(put.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "empty" }))).ContentLength).toBe(0);
    expect((await bytesOf("empty")).length).toBe(0);
  });
});

describe("PutObject headers", () => {
  it("returns user metadata (names lower-cased) and every content header", async () => {
    const expires = new Date("2030-01-02T03:04:05Z");
    await suite.s3.send(
      new PutObjectCommand({
        Bucket: suite.bucket,
        Key: "headers",
        Body: "x",
        Metadata: { "Project-Name": "inv emulator", color: "blue" },
        ContentType: "text/plain; charset=utf-8",
        ContentEncoding: "gzip",
        ContentDisposition: 'attachment; filename="a b.txt"',
        ContentLanguage: "de-CH",
        CacheControl: "max-age=60, private",
        Expires: expires,
      }),
    );
    for (const out of [
      await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "headers" })),
      await suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "headers" })),
    ]) {
      expect(out.Metadata).toEqual({ "project-name": "inv emulator", color: "blue" });
      expect(out.ContentType).toBe("text/plain; charset=utf-8");
      expect(out.ContentEncoding).toBe("gzip");
      expect(out.ContentDisposition).toBe('attachment; filename="a b.txt"');
      expect(out.ContentLanguage).toBe("de-CH");
      expect(out.CacheControl).toBe("max-age=60, private");
      expect(out.Expires?.getTime()).toBe(expires.getTime());
      expect(out.ETag).toBe(`"${md5Hex("x")}"`);
      expect(out.LastModified).toBeInstanceOf(Date);
      expect(out.AcceptRanges).toBe("bytes");
      expect(out.ServerSideEncryption).toBe("AES256");
    }
  });

  it("keeps a content encoding given with a streamed (aws-chunked) body, minus aws-chunked", async () => {
    const file = join(scratch, "gz.bin");
    writeFileSync(file, "not really gzip");
    await suite.s3.send(
      new PutObjectCommand({
        Bucket: suite.bucket,
        Key: "gz-stream",
        Body: createReadStream(file),
        ContentEncoding: "gzip",
      }),
    );
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "gz-stream" }));
    expect(head.ContentEncoding).toBe("gzip");
    expect((await bytesOf("gz-stream")).toString()).toBe("not really gzip");
  });

  it("answers binary/octet-stream for an object stored without a content type", async () => {
    const put = await raw("PUT", `/${suite.bucket}/no-type`, { "content-length": "3" }, "abc");
    expect(put.status).toBe(200);
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "no-type" }))).ContentType).toBe(
      "binary/octet-stream",
    );
  });

  it("records a storage class; STANDARD is not echoed; an unknown one is InvalidStorageClass", async () => {
    await suite.s3.send(
      new PutObjectCommand({ Bucket: suite.bucket, Key: "ia", Body: "x", StorageClass: "STANDARD_IA" }),
    );
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "ia" }))).StorageClass).toBe(
      "STANDARD_IA",
    );
    await suite.s3.send(
      new PutObjectCommand({ Bucket: suite.bucket, Key: "std", Body: "x", StorageClass: "STANDARD" }),
    );
    expect(
      (await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "std" }))).StorageClass,
    ).toBeUndefined();
    const bad = PutObjectCommand;
    await expectSdkError(
      suite.s3.send(
        new bad({ Bucket: suite.bucket, Key: "bad-class", Body: "x", StorageClass: "FASTEST" as "STANDARD" }),
      ),
      "InvalidStorageClass",
      400,
    );
    await expectSdkError(
      suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "bad-class" })),
      "NotFound",
      404,
    );
  });

  it("refuses GET of a GLACIER object with InvalidObjectState (403) while HEAD works", async () => {
    await suite.s3.send(
      new PutObjectCommand({ Bucket: suite.bucket, Key: "cold", Body: "x", StorageClass: "GLACIER" }),
    );
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: suite.bucket, Key: "cold" }))).StorageClass).toBe(
      "GLACIER",
    );
    await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "cold" })),
      "InvalidObjectState",
      403,
    );
  });

  it("refuses a plain Transfer-Encoding: chunked PUT without aws-chunked framing (S3: 501)", async () => {
    const res = await raw("PUT", `/${suite.bucket}/te-chunked`, { "transfer-encoding": "chunked" }, "hello");
    expect(res.status).toBe(501);
    expect(res.body).toContain("<Code>NotImplemented</Code>");
    expect(res.body).toContain("<Header>Transfer-Encoding</Header>");
  });

  it("refuses a PUT without Content-Length (411 MissingContentLength)", async () => {
    const res = await rawSocket(
      `PUT /${suite.bucket}/no-length HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    expect(res).toMatch(/^HTTP\/1\.1 411 /);
    expect(res).toContain("<Code>MissingContentLength</Code>");
  });
});
