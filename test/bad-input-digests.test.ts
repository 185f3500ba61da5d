/**
 * Bodies that do not match what the request says about them: Content-MD5, x-amz-checksum-*, x-amz-content-sha256
 * and aws-chunked framing (cut short, wrong decoded length, wrong trailer). Every refused PUT is sent twice, to a
 * new key and over an existing object, and neither may change what a GET or a listing shows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { crc32Base64, md5Base64, md5Hex, sha256Hex } from "./support/digests.js";
import { bucketName } from "./support/emulator.js";
import {
  awsChunked,
  createBucket,
  expectS3Error,
  expectServing,
  keyPath,
  listKeys,
  putObject,
  type RawRequest,
  rawRequest,
} from "./support/raw-http.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator({ options: { minPartBytes: 1 } });
const bucket = bucketName("digest");
const existing = { key: "existing.txt", body: "the original bytes" };
const BODY = "the bytes that were actually sent";

beforeAll(async () => {
  await createBucket(suite.port, bucket);
  await putObject(suite.port, bucket, existing.key, existing.body);
});

/** Sends the request to a fresh key and over `existing`: both refused, nothing changed, server serving. */
async function expectRefused(
  request: Omit<RawRequest, "method" | "path">,
  status: number,
  code: string,
): Promise<void> {
  for (const key of ["fresh.txt", existing.key]) {
    const response = await rawRequest(suite.port, { method: "PUT", path: keyPath(bucket, key), ...request });
    expectS3Error(response, status, code);
  }
  expectS3Error(await rawRequest(suite.port, { method: "GET", path: keyPath(bucket, "fresh.txt") }), 404, "NoSuchKey");
  expect(await listKeys(suite.port, bucket)).toEqual([existing.key]);
  await expectServing(suite.port, bucket, existing.key, existing.body);
}

/** The same headers with the right value are accepted: the refusals above are about the value, not the header. */
async function expectAccepted(request: Omit<RawRequest, "method" | "path">, stored: string): Promise<void> {
  const response = await rawRequest(suite.port, { method: "PUT", path: keyPath(bucket, "control.txt"), ...request });
  expect(response.status, response.text).toBe(200);
  expect(response.headers.etag).toBe(`"${md5Hex(stored)}"`);
  await expectServing(suite.port, bucket, "control.txt", stored);
  expect((await rawRequest(suite.port, { method: "DELETE", path: keyPath(bucket, "control.txt") })).status).toBe(204);
}

describe("Content-MD5, x-amz-checksum-crc32, x-amz-content-sha256", () => {
  it("a Content-MD5 of other bytes is BadDigest; the right one is accepted", async () => {
    await expectRefused({ body: BODY, headers: { "content-md5": md5Base64("something else") } }, 400, "BadDigest");
    await expectAccepted({ body: BODY, headers: { "content-md5": md5Base64(BODY) } }, BODY);
  });

  it.each([
    ["not base64", "not-an-md5!!"],
    ["15 bytes", Buffer.alloc(15, 1).toString("base64")],
    ["17 bytes", Buffer.alloc(17, 1).toString("base64")],
    ["the hex digest instead of base64", md5Hex(BODY)],
    ["empty", ""],
  ])("a Content-MD5 that is %s is InvalidDigest", async (_label, value) => {
    await expectRefused({ body: BODY, headers: { "content-md5": value } }, 400, "InvalidDigest");
  });

  it("an x-amz-checksum-crc32 of other bytes is BadDigest; the right one is accepted and stored", async () => {
    await expectRefused({ body: BODY, headers: { "x-amz-checksum-crc32": crc32Base64("other") } }, 400, "BadDigest");
    await expectAccepted({ body: BODY, headers: { "x-amz-checksum-crc32": crc32Base64(BODY) } }, BODY);
  });

  it("an x-amz-checksum-crc32 that is not a 4-byte base64 value is InvalidRequest", async () => {
    await expectRefused({ body: BODY, headers: { "x-amz-checksum-crc32": "AAAAAAAA" } }, 400, "InvalidRequest");
  });

  it("an x-amz-content-sha256 hex of other bytes is XAmzContentSHA256Mismatch; the right one is accepted", async () => {
    const wrong = { body: BODY, headers: { "x-amz-content-sha256": sha256Hex("other") } };
    await expectRefused(wrong, 400, "XAmzContentSHA256Mismatch");
    // Upper-case hex is the same digest.
    await expectAccepted({ body: BODY, headers: { "x-amz-content-sha256": sha256Hex(BODY).toUpperCase() } }, BODY);
  });

  it("UploadPart with a wrong Content-MD5 is BadDigest and stores no part", async () => {
    const path = keyPath(bucket, "parts.bin");
    const created = await rawRequest(suite.port, { method: "POST", path: `${path}?uploads` });
    const uploadId = /<UploadId>([^<]+)</.exec(created.text)?.[1] as string;
    const partPath = `${path}?partNumber=1&uploadId=${uploadId}`;
    const headers = { "content-md5": md5Base64("nope") };
    expectS3Error(
      await rawRequest(suite.port, { method: "PUT", path: partPath, headers, body: BODY }),
      400,
      "BadDigest",
    );
    const parts = await rawRequest(suite.port, { method: "GET", path: `${path}?uploadId=${uploadId}` });
    expect(parts.status).toBe(200);
    expect(parts.text).not.toContain("<Part>");
    await rawRequest(suite.port, { method: "DELETE", path: `${path}?uploadId=${uploadId}` });
  });
});

describe("aws-chunked bodies (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", () => {
  const chunks = [Buffer.from("a".repeat(100)), Buffer.from("b".repeat(100)), Buffer.from("c".repeat(37))];
  const payload = Buffer.concat(chunks);
  const trailer = { "x-amz-checksum-crc32": crc32Base64(payload) };
  const full = awsChunked(chunks, trailer);

  /** Headers for an aws-chunked PUT; Content-Length always matches the bytes actually sent. */
  const chunkedRequest = (body: Buffer, decodedLength = payload.length) => ({
    body,
    headers: {
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "x-amz-decoded-content-length": decodedLength,
      "x-amz-trailer": "x-amz-checksum-crc32",
      "content-length": body.length,
    },
  });

  it("a complete body is accepted: decoded bytes stored, trailer checksum kept, framing not", async () => {
    await expectAccepted(chunkedRequest(full), payload.toString());
    const put = await rawRequest(suite.port, {
      method: "PUT",
      path: keyPath(bucket, "chunked.bin"),
      ...chunkedRequest(full),
    });
    expect(put.headers["x-amz-checksum-crc32"]).toBe(trailer["x-amz-checksum-crc32"]);
    const head = await rawRequest(suite.port, { method: "HEAD", path: keyPath(bucket, "chunked.bin") });
    expect(head.headers["content-length"]).toBe(String(payload.length));
    expect(head.headers["content-encoding"]).toBeUndefined();
    await rawRequest(suite.port, { method: "DELETE", path: keyPath(bucket, "chunked.bin") });
  });

  // Where "0\r\n" starts: every data chunk framed as <hex size>\r\n<data>\r\n.
  const finalChunk = chunks.reduce((at, chunk) => at + chunk.length.toString(16).length + chunk.length + 4, 0);
  it.each([
    ["before the final 0 chunk", full.subarray(0, finalChunk)],
    ["in the middle of a chunk's data", full.subarray(0, 150)],
    ["inside a chunk header", full.subarray(0, 1)],
    ["after the final chunk, before the trailer", full.subarray(0, finalChunk + 3)],
    ["inside the trailer section", full.subarray(0, full.length - 4)],
  ])("a body cut %s is IncompleteBody", async (_label, body) => {
    expect(full.subarray(finalChunk, finalChunk + 3).toString()).toBe("0\r\n");
    expect(body.length).toBeLessThan(full.length);
    await expectRefused(chunkedRequest(body), 400, "IncompleteBody");
  });

  it.each([
    ["larger", payload.length + 1],
    ["smaller", payload.length - 1],
  ])(
    "a complete body whose decoded length is not x-amz-decoded-content-length (%s) is IncompleteBody",
    async (_l, declared) => {
      await expectRefused(chunkedRequest(full, declared), 400, "IncompleteBody");
    },
  );

  it("a trailer checksum of other bytes is BadDigest", async () => {
    const body = awsChunked(chunks, { "x-amz-checksum-crc32": crc32Base64("other") });
    await expectRefused(chunkedRequest(body), 400, "BadDigest");
  });
});
