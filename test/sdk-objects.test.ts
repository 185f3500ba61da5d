import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

let emulator: RunningEmulator;
let s3: S3Client;
let bucket: string;
let scratch: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = sdkClient(emulator.endpoint);
  bucket = bucketName("objects");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  scratch = mkdtempSync(join(tmpdir(), "sdk-objects-"));
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
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

async function getBytes(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

const crc32Base64 = (data: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString("base64");
};

/** A raw HTTP request, for what the SDK will not send. */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer | string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: emulator.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Bytes straight onto a socket, for requests node's http client would complete (no Content-Length). */
function rawSocket(text: string) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(emulator.port, "127.0.0.1", () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}

describe("PutObject bodies", () => {
  it("stores a string body; the ETag is the quoted MD5 hex", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "string", Body: "hello wörld" }));
    expect(put.ETag).toBe(`"${md5("hello wörld")}"`);
    expect((await getBytes("string")).toString("utf8")).toBe("hello wörld");
  });

  it("stores a Buffer body byte for byte, including NUL and high bytes", async () => {
    const body = Buffer.concat([Buffer.from([0, 255, 13, 10, 0]), randomBytes(4096)]);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "buffer", Body: body }));
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect((await getBytes("buffer")).equals(body)).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "buffer" }));
    expect(head.ContentLength).toBe(body.length);
  });

  it("stores a Readable with ContentLength (aws-chunked with a CRC32 trailer) without framing", async () => {
    const parts = [randomBytes(1000), randomBytes(70_000), Buffer.from("tail\r\n0\r\n")];
    const body = Buffer.concat(parts);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "readable", Body: Readable.from(parts), ContentLength: body.length }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect(put.ChecksumCRC32).toBe(crc32Base64(body));
    expect((await getBytes("readable")).equals(body)).toBe(true);
  });

  it("stores a file stream without ContentLength (aws-chunked, decoded length) without framing", async () => {
    const body = randomBytes(300_000);
    const file = join(scratch, "upload.bin");
    writeFileSync(file, body);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "file-stream",
        Body: createReadStream(file),
        ChecksumAlgorithm: "SHA256",
      }),
    );
    expect(put.ChecksumSHA256).toBe(createHash("sha256").update(body).digest("base64"));
    const got = await getBytes("file-stream");
    expect(got.length).toBe(body.length);
    expect(got.equals(body)).toBe(true);
  });

  it("stores an empty body", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "empty", Body: "" }));
    expect(put.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "empty" }))).ContentLength).toBe(0);
    expect((await getBytes("empty")).length).toBe(0);
  });
});

describe("PutObject headers", () => {
  it("returns user metadata (names lower-cased) and every content header", async () => {
    const expires = new Date("2030-01-02T03:04:05Z");
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
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
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "headers" })),
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "headers" })),
    ]) {
      expect(out.Metadata).toEqual({ "project-name": "inv emulator", color: "blue" });
      expect(out.ContentType).toBe("text/plain; charset=utf-8");
      expect(out.ContentEncoding).toBe("gzip");
      expect(out.ContentDisposition).toBe('attachment; filename="a b.txt"');
      expect(out.ContentLanguage).toBe("de-CH");
      expect(out.CacheControl).toBe("max-age=60, private");
      expect(out.Expires?.getTime()).toBe(expires.getTime());
      expect(out.ETag).toBe(`"${md5("x")}"`);
      expect(out.LastModified).toBeInstanceOf(Date);
      expect(out.AcceptRanges).toBe("bytes");
      expect(out.ServerSideEncryption).toBe("AES256");
    }
  });

  it("keeps a content encoding given with a streamed (aws-chunked) body, minus aws-chunked", async () => {
    const file = join(scratch, "gz.bin");
    writeFileSync(file, "not really gzip");
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "gz-stream", Body: createReadStream(file), ContentEncoding: "gzip" }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "gz-stream" }));
    expect(head.ContentEncoding).toBe("gzip");
    expect((await getBytes("gz-stream")).toString()).toBe("not really gzip");
  });

  it("answers binary/octet-stream for an object stored without a content type", async () => {
    const put = await raw("PUT", `/${bucket}/no-type`, { "content-length": "3" }, "abc");
    expect(put.status).toBe(200);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "no-type" }))).ContentType).toBe(
      "binary/octet-stream",
    );
  });

  it("records a storage class; STANDARD is not echoed; an unknown one is InvalidStorageClass", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "ia", Body: "x", StorageClass: "STANDARD_IA" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "ia" }))).StorageClass).toBe("STANDARD_IA");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "std", Body: "x", StorageClass: "STANDARD" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "std" }))).StorageClass).toBeUndefined();
    const bad = PutObjectCommand;
    await expectError(
      s3.send(new bad({ Bucket: bucket, Key: "bad-class", Body: "x", StorageClass: "FASTEST" as "STANDARD" })),
      "InvalidStorageClass",
      400,
    );
    await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "bad-class" })), "NotFound", 404);
  });

  it("refuses GET of a GLACIER object with InvalidObjectState (403) while HEAD works", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cold", Body: "x", StorageClass: "GLACIER" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "cold" }))).StorageClass).toBe("GLACIER");
    await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cold" })), "InvalidObjectState", 403);
  });

  it("refuses a plain Transfer-Encoding: chunked PUT without aws-chunked framing (S3: 501)", async () => {
    const res = await raw("PUT", `/${bucket}/te-chunked`, { "transfer-encoding": "chunked" }, "hello");
    expect(res.status).toBe(501);
    expect(res.body).toContain("<Code>NotImplemented</Code>");
    expect(res.body).toContain("<Header>Transfer-Encoding</Header>");
  });

  it("refuses a PUT without Content-Length (411 MissingContentLength)", async () => {
    const res = await rawSocket(`PUT /${bucket}/no-length HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(res).toMatch(/^HTTP\/1\.1 411 /);
    expect(res).toContain("<Code>MissingContentLength</Code>");
  });
});
