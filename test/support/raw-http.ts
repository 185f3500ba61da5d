/**
 * Byte-exact HTTP/1.1 over node:net for the bad-input and restart tests: every request byte is ours
 * (no URL normalisation, no added headers, bodies shorter or longer than Content-Length), and responses
 * are parsed by hand so a closed or reset connection is observable.
 */
import { readdirSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join, relative } from "node:path";
import { expect } from "vitest";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  /** `<Code>` of an S3 error document, if any. */
  code: string | undefined;
}

/** One TCP connection; responses are read one after another (keep-alive) from a shared buffer. */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    // The server may destroy a connection we are still writing to (ECONNRESET, EPIPE): that is a result, not a failure.
    socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      socket.on("close", () => {
        this.ended = true;
        this.wake?.();
        resolve();
      }),
    );
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Resolves once the bytes are handed to the kernel, or at once if the socket is gone. */
  write(data: string | Buffer): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(data, () => resolve()));
  }

  /** True if the server closes the connection within `timeoutMs`. */
  async closesWithin(timeoutMs: number): Promise<boolean> {
    const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([this.closed.then(() => true as const), timer]);
  }

  destroy(): void {
    this.socket.destroy();
  }

  async readResponse(options: { timeoutMs?: number; head?: boolean } = {}): Promise<RawResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    for (;;) {
      const parsed = parseResponse(this.buffer, options.head ?? false, this.ended);
      if (parsed) {
        this.buffer = this.buffer.subarray(parsed.consumed);
        return parsed.response;
      }
      if (this.ended) throw new Error(`connection closed before a complete response (${this.buffer.length} bytes)`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no complete response in time (${this.buffer.length} bytes buffered)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }
}

function parseResponse(
  buffer: Buffer,
  head: boolean,
  ended: boolean,
): { response: RawResponse; consumed: number } | undefined {
  const headerEnd = buffer.indexOf("\r\n\r\n");
  if (headerEnd === -1) return undefined;
  const [statusLine = "", ...lines] = buffer.subarray(0, headerEnd).toString("latin1").split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const start = headerEnd + 4;
  let body: Buffer;
  let consumed: number;
  if (head || status === 204 || status === 304) {
    body = Buffer.alloc(0);
    consumed = start;
  } else if (headers["content-length"] !== undefined) {
    const length = Number(headers["content-length"]);
    if (buffer.length < start + length) return undefined;
    body = buffer.subarray(start, start + length);
    consumed = start + length;
  } else if (headers["transfer-encoding"]?.includes("chunked")) {
    const chunks: Buffer[] = [];
    let pos = start;
    for (;;) {
      const lineEnd = buffer.indexOf("\r\n", pos);
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(buffer.subarray(pos, lineEnd).toString("latin1"), 16);
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      pos = lineEnd + 2 + size + 2;
      if (size === 0) break;
    }
    body = Buffer.concat(chunks);
    consumed = pos;
  } else {
    if (!ended) return undefined;
    body = buffer.subarray(start);
    consumed = buffer.length;
  }
  const text = body.toString("utf8");
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  return { response: { status, headers, body: Buffer.from(body), text, code }, consumed };
}

export interface RawRequest {
  method: string;
  /** Sent as is: no normalisation, no encoding. */
  path: string;
  /** A null value leaves a default header out (content-length). */
  headers?: Record<string, string | number | null>;
  body?: string | Buffer;
}

/** The request head; Content-Length defaults to the body's length when there is a body. */
export function requestHead(port: number, request: RawRequest): string {
  const headers: Record<string, string | number | null> = { host: `127.0.0.1:${port}` };
  if (request.body !== undefined) headers["content-length"] = Buffer.byteLength(request.body);
  Object.assign(headers, request.headers ?? {});
  const lines = Object.entries(headers)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name}: ${value}`);
  return `${request.method} ${request.path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}

/** One request on a fresh connection; the connection is destroyed after the response. */
export async function rawRequest(port: number, request: RawRequest): Promise<RawResponse> {
  const connection = await RawConnection.open(port);
  try {
    const head = Buffer.from(requestHead(port, request), "latin1");
    await connection.write(request.body === undefined ? head : Buffer.concat([head, Buffer.from(request.body)]));
    return await connection.readResponse({ head: request.method === "HEAD" });
  } finally {
    connection.destroy();
  }
}

/** Percent-encodes a key for a path, keeping `/` (as S3 clients do). */
export function keyPath(bucket: string, key: string): string {
  return `/${bucket}/${encodeURIComponent(key).replace(/%2F/g, "/")}`;
}

/** An S3 error document (XML) with this status, code and, when given, message. */
export function expectS3Error(response: RawResponse, status: number, code: string, message?: string): void {
  const actual = message === undefined ? {} : { message: /<Message>([^<]*)<\/Message>/.exec(response.text)?.[1] };
  expect({ status: response.status, code: response.code, ...actual }, response.text).toEqual({
    status,
    code,
    ...(message === undefined ? {} : { message }),
  });
  expect(response.headers["content-type"]).toBe("application/xml");
  expect(response.text).toMatch(/^<\?xml[^>]*>\s*<Error><Code>/);
}

/** CreateBucket over raw HTTP (unsigned: the default owner when no strict auth); resolves with the name. */
export async function createBucket(port: number, bucket: string): Promise<string> {
  const response = await rawRequest(port, { method: "PUT", path: `/${bucket}`, headers: { "content-length": 0 } });
  expect(response.status, response.text).toBe(200);
  return bucket;
}

export async function putObject(
  port: number,
  bucket: string,
  key: string,
  body: string | Buffer,
  headers: Record<string, string | number | null> = {},
): Promise<RawResponse> {
  const response = await rawRequest(port, { method: "PUT", path: keyPath(bucket, key), headers, body });
  expect(response.status, response.text).toBe(200);
  return response;
}

/** ListObjectsV2 with encoding-type=url, so any key (NUL included) survives the XML. */
export async function listKeys(port: number, bucket: string): Promise<string[]> {
  const response = await rawRequest(port, { method: "GET", path: `/${bucket}?list-type=2&encoding-type=url` });
  expect(response.status, response.text).toBe(200);
  return [...response.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeURIComponent(m[1] as string));
}

export interface ListedVersion {
  key: string;
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
  etag: string | undefined;
}

/** ListObjectVersions (first page), newest first per key. */
export async function listVersions(port: number, bucket: string): Promise<ListedVersion[]> {
  const response = await rawRequest(port, { method: "GET", path: `/${bucket}?versions&encoding-type=url` });
  expect(response.status, response.text).toBe(200);
  return [...response.text.matchAll(/<(Version|DeleteMarker)>(.*?)<\/\1>/g)].map((m) => {
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(m[2] as string)?.[1];
    return {
      key: decodeURIComponent(field("Key") ?? ""),
      versionId: field("VersionId") ?? "",
      isLatest: field("IsLatest") === "true",
      deleteMarker: m[1] === "DeleteMarker",
      etag: field("ETag")?.replace(/&quot;|"/g, ""),
    };
  });
}

/** The server still answers a plain GET: the object is there with exactly these bytes. */
export async function expectServing(port: number, bucket: string, key: string, body: string | Buffer): Promise<void> {
  const response = await rawRequest(port, { method: "GET", path: keyPath(bucket, key) });
  expect(response.status, response.text).toBe(200);
  expect(response.body.equals(Buffer.from(body))).toBe(true);
}

/** Every file under `dir`, relative, sorted; `skip` prunes subtrees by relative path. */
export function listTree(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      const rel = relative(dir, full);
      if (skip(rel)) continue;
      out.push(entry.isDirectory() ? `${rel}/` : rel);
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** aws-chunked framing without signatures (STREAMING-UNSIGNED-PAYLOAD-TRAILER), final chunk and trailers included. */
export function awsChunked(chunks: Buffer[], trailers: Record<string, string> = {}): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
  parts.push(Buffer.from("0\r\n"));
  for (const [name, value] of Object.entries(trailers)) parts.push(Buffer.from(`${name}:${value}\r\n`));
  parts.push(Buffer.from("\r\n"));
  return Buffer.concat(parts);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(25);
  }
  return probe();
}
