/**
 * Connections that misbehave at the transport level: bodies that stall or stop, sizes over the limits,
 * a missing Content-Length, bytes that are not HTTP. Runs on a data-dir emulator so that "nothing landed"
 * also covers the disk: no blob, no `tmp/` leftover.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countStoredBlobs, type RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, startTestEmulator } from "./support/emulator.js";
import {
  createBucket,
  eventually,
  expectS3Error,
  expectServing,
  keyPath,
  listKeys,
  putObject,
  RawConnection,
  rawRequest,
  requestHead,
  sleep,
} from "./support/raw-http.js";

const IDLE_MS = 300;
const MAX_OBJECT = 64 * 1024;
const bucket = bucketName("stream");
const existing = { key: "existing.txt", body: "the original bytes" };
let base: string;

/** A data-dir emulator with one bucket holding `existing`. */
interface Target {
  emulator: RunningEmulator;
  port: number;
  dataDir: string;
}
async function startTarget(name: string, options: { maxObjectBytes?: number }): Promise<Target> {
  const dataDir = join(base, name);
  const emulator = await startTestEmulator({ dataDir, inMemory: false, bodyIdleTimeoutMs: IDLE_MS, ...options });
  await createBucket(emulator.port, bucket);
  await putObject(emulator.port, bucket, existing.key, existing.body);
  return { emulator, port: emulator.port, dataDir };
}

// `port`/`dataDir` point at the emulator of the running describe block.
let port: number;
let dataDir: string;
let targets: Target[] = [];
/** The default limit (5 GiB) lets a 2 GB Content-Length through to the stall; `small` refuses sizes early. */
let large: Target;
let small: Target;
const use = (target: Target) => () => {
  port = target.port;
  dataDir = target.dataDir;
};

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "inv-bad-streams-"));
  large = await startTarget("large", {});
  small = await startTarget("small", { maxObjectBytes: MAX_OBJECT });
  targets = [large, small];
});
afterAll(async () => {
  for (const target of targets) await target.emulator.close();
  rmSync(base, { recursive: true, force: true });
});

const blobCount = () => countStoredBlobs(dataDir);
const tmpFiles = () => readdirSync(join(dataDir, "tmp"));

/** Nothing of the refused request is visible or on disk, and the server still serves. */
async function expectNothingLanded(key: string): Promise<void> {
  expectS3Error(await rawRequest(port, { method: "GET", path: keyPath(bucket, key) }), 404, "NoSuchKey");
  expect(await listKeys(port, bucket)).toEqual([existing.key]);
  await expectServing(port, bucket, existing.key, existing.body);
  // Removal of a broken upload's temp file is asynchronous; it must happen soon, not never.
  expect(await eventually(() => tmpFiles().length === 0)).toBe(true);
  // Blobs of deleted objects are released asynchronously too.
  expect(await eventually(() => blobCount() === 1)).toBe(true);
}

describe("stalled bodies", () => {
  beforeAll(() => use(large)());
  it("a 2 GB Content-Length that stops after a few KB is 400 RequestTimeout, then the connection closes", async () => {
    const connection = await RawConnection.open(port);
    const path = keyPath(bucket, "stalled.bin");
    await connection.write(requestHead(port, { method: "PUT", path, headers: { "content-length": 2_000_000_000 } }));
    await connection.write(Buffer.alloc(4096, 7));
    const started = Date.now();
    const response = await connection.readResponse({ timeoutMs: 10_000 });
    expectS3Error(response, 400, "RequestTimeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(response.headers.connection).toBe("close");
    expect(await connection.closesWithin(2_000)).toBe(true);
    await expectNothingLanded("stalled.bin");
  });

  it("a stall over an existing key keeps the old object", async () => {
    const connection = await RawConnection.open(port);
    const path = keyPath(bucket, existing.key);
    await connection.write(requestHead(port, { method: "PUT", path, headers: { "content-length": 1_000_000 } }));
    await connection.write("partial new content");
    expectS3Error(await connection.readResponse(), 400, "RequestTimeout");
    await expectNothingLanded("never-created");
  });

  it("a stalled XML document and a stalled aws-chunked body time out too", async () => {
    const tagging = await RawConnection.open(port);
    const taggingPath = `${keyPath(bucket, existing.key)}?tagging`;
    await tagging.write(requestHead(port, { method: "PUT", path: taggingPath, headers: { "content-length": 500 } }));
    await tagging.write("<Tagging><TagSet>");
    expectS3Error(await tagging.readResponse(), 400, "RequestTimeout");
    expect((await rawRequest(port, { method: "GET", path: taggingPath })).text).not.toContain("<Tag>");

    const chunked = await RawConnection.open(port);
    const headers = {
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "x-amz-decoded-content-length": 1000,
      "content-length": 1100,
    };
    await chunked.write(requestHead(port, { method: "PUT", path: keyPath(bucket, "chunked.bin"), headers }));
    await chunked.write(`3e8\r\n${"z".repeat(100)}`);
    expectS3Error(await chunked.readResponse(), 400, "RequestTimeout");
    await expectNothingLanded("chunked.bin");
  });

  it("a body that trickles (each byte within the idle timeout) is not cut off", async () => {
    const connection = await RawConnection.open(port);
    const body = "slow but steady";
    await connection.write(requestHead(port, { method: "PUT", path: keyPath(bucket, "slow.txt"), body }));
    for (const ch of body) {
      await connection.write(ch);
      await sleep(IDLE_MS / 6);
    }
    const response = await connection.readResponse();
    expect(response.status, response.text).toBe(200);
    await expectServing(port, bucket, "slow.txt", body);
    connection.destroy();
    expect((await rawRequest(port, { method: "DELETE", path: keyPath(bucket, "slow.txt") })).status).toBe(204);
    await expectNothingLanded("slow.txt");
  });
});

describe("clients that hang up mid-body", () => {
  beforeAll(() => use(large)());
  it.each([
    ["a new key", "gone.bin"],
    ["an existing key", existing.key],
  ])("socket.destroy() during a PUT to %s stores nothing", async (_label, key) => {
    const connection = await RawConnection.open(port);
    await connection.write(
      requestHead(port, { method: "PUT", path: keyPath(bucket, key), headers: { "content-length": 1_000_000 } }),
    );
    await connection.write(Buffer.alloc(300_000, 1));
    // Precondition: the partial upload is on disk in tmp/, so what follows tests its cleanup.
    expect(await eventually(() => tmpFiles().length > 0, 2_000)).toBe(true);
    connection.destroy();
    await expectNothingLanded("gone.bin");
  });

  it("socket.destroy() during UploadPart stores no part", async () => {
    const path = keyPath(bucket, "parts.bin");
    const created = await rawRequest(port, { method: "POST", path: `${path}?uploads` });
    const uploadId = /<UploadId>([^<]+)</.exec(created.text)?.[1] as string;
    const connection = await RawConnection.open(port);
    const partPath = `${path}?partNumber=1&uploadId=${uploadId}`;
    await connection.write(
      requestHead(port, { method: "PUT", path: partPath, headers: { "content-length": 1_000_000 } }),
    );
    await connection.write(Buffer.alloc(300_000, 2));
    expect(await eventually(() => tmpFiles().length > 0, 2_000)).toBe(true);
    connection.destroy();
    await sleep(50);
    expect((await rawRequest(port, { method: "GET", path: `${path}?uploadId=${uploadId}` })).text).not.toContain(
      "<Part>",
    );
    expect((await rawRequest(port, { method: "DELETE", path: `${path}?uploadId=${uploadId}` })).status).toBe(204);
    await expectNothingLanded("parts.bin");
  });
});

describe("sizes and lengths", () => {
  beforeAll(() => use(small)());
  it("a Content-Length over maxObjectBytes is EntityTooLarge before any body byte is sent", async () => {
    const connection = await RawConnection.open(port);
    const headers = { "content-length": MAX_OBJECT + 1 };
    await connection.write(requestHead(port, { method: "PUT", path: keyPath(bucket, "big.bin"), headers }));
    // Were the server waiting for the body, this would be RequestTimeout instead.
    expectS3Error(await connection.readResponse(), 400, "EntityTooLarge");
    expect(await connection.closesWithin(2_000)).toBe(true);
    await expectNothingLanded("big.bin");
  });

  it("an x-amz-decoded-content-length over maxObjectBytes is EntityTooLarge", async () => {
    const headers = {
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
      "x-amz-decoded-content-length": MAX_OBJECT + 1,
      "content-length": MAX_OBJECT + 200,
    };
    const connection = await RawConnection.open(port);
    await connection.write(requestHead(port, { method: "PUT", path: keyPath(bucket, "big.bin"), headers }));
    expectS3Error(await connection.readResponse(), 400, "EntityTooLarge");
    await expectNothingLanded("big.bin");
  });

  it("exactly maxObjectBytes is accepted", async () => {
    await putObject(port, bucket, "max.bin", Buffer.alloc(MAX_OBJECT, 9));
    await expectServing(port, bucket, "max.bin", Buffer.alloc(MAX_OBJECT, 9));
    expect((await rawRequest(port, { method: "DELETE", path: keyPath(bucket, "max.bin") })).status).toBe(204);
    await expectNothingLanded("max.bin");
  });

  it("an aws-chunked body that streams past maxObjectBytes (under a smaller declared length) is EntityTooLarge", async () => {
    // The declared length passes the up-front check; the decoded bytes are counted and refused at the limit.
    const data = Buffer.alloc(MAX_OBJECT + 1024, 3);
    const body = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n0\r\n\r\n")]);
    const headers = {
      "content-encoding": "aws-chunked",
      "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD",
      "x-amz-decoded-content-length": MAX_OBJECT,
    };
    const response = await rawRequest(port, { method: "PUT", path: keyPath(bucket, "big.bin"), headers, body });
    expectS3Error(response, 400, "EntityTooLarge");
    await expectNothingLanded("big.bin");
  });

  it("a plain Transfer-Encoding: chunked PUT is 501 NotImplemented naming the header, as S3 answers", async () => {
    const body = "5\r\nhello\r\n0\r\n\r\n";
    const headers = { "transfer-encoding": "chunked", "content-length": null };
    const response = await rawRequest(port, { method: "PUT", path: keyPath(bucket, "te.bin"), headers, body });
    try {
      expectS3Error(response, 501, "NotImplemented");
      expect(response.text).toContain("<Header>Transfer-Encoding</Header>");
      await expectNothingLanded("te.bin");
    } finally {
      // Should it have been stored after all, remove it so that the other tests' listings stay exact.
      await rawRequest(port, { method: "DELETE", path: keyPath(bucket, "te.bin") });
    }
  });

  it("a PUT with neither Content-Length nor chunked encoding is 411 MissingContentLength", async () => {
    const response = await rawRequest(port, { method: "PUT", path: keyPath(bucket, "nolength.bin") });
    expectS3Error(response, 411, "MissingContentLength");
    await expectNothingLanded("nolength.bin");
  });
});

describe("bytes that are not HTTP", () => {
  beforeAll(() => use(large)());
  it.each([
    ["random binary", Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a, 0x99])],
    ["a TLS ClientHello", Buffer.from("16030100a5010000a10303", "hex")],
    ["a request line with no version", Buffer.from("GET /\r\n\r\n")],
    ["a header line without a colon", Buffer.from("GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n")],
    ["a non-numeric Content-Length", Buffer.from("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")],
    [
      "Content-Length and chunked together",
      Buffer.from("PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ],
    ["64 KB of headers", Buffer.from(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`)],
  ])("%s gets the connection closed, and the server keeps serving", async (_label, bytes) => {
    const connection = await RawConnection.open(port);
    await connection.write(bytes);
    expect(await connection.closesWithin(3_000)).toBe(true);
    await expectNothingLanded("k");
  });

  it("garbage after a good request on a kept-alive connection closes it after the good response", async () => {
    const connection = await RawConnection.open(port);
    await connection.write(requestHead(port, { method: "GET", path: keyPath(bucket, existing.key) }));
    const good = await connection.readResponse();
    expect(good.text).toBe(existing.body);
    await connection.write(Buffer.from("\x00\x01garbage\r\n\r\n"));
    expect(await connection.closesWithin(3_000)).toBe(true);
    await expectNothingLanded("k");
  });
});
