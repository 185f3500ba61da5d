// SigV4 verification against real signers: AWS's documented examples, the JS SDK v3 (requests captured on the wire
// by a local HTTP server), @smithy/signature-v4 presigning, and the AWS CLI (botocore) when /usr/bin/aws is installed.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import * as s3 from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Error } from "../errors/s3-error.js";
import { chunkSignature, parseAuthorization, type SignedRequestParts, signingKey, verifySignature } from "./sigv4.js";

const AKID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const CREDENTIALS = { accessKeyId: AKID, secretAccessKey: SECRET };
const DOC_TIME = Date.UTC(2013, 4, 24);
const MISMATCH = "SignatureDoesNotMatch";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const WELCOME_SHA256 = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"; // "Welcome to Amazon S3."
const KEYS = ["plain", "sp ace/a+b=c~d.txt", "unicodé/日本 ü", "a//b/../c/./d", "!'()*$&,;:@[]#?.txt", "1%/%2F"];

/** Parses and verifies like the server would; returns the S3 error code, "anonymous" or "ok". */
function check(parts: SignedRequestParts, now = Date.now(), secret = SECRET): string {
  try {
    const auth = parseAuthorization(parts);
    if (auth) verifySignature(parts, auth, secret, now);
    return auth ? "ok" : "anonymous";
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
}

/** A request from the S3 docs: every header shown is signed, the time is 20130524T000000Z. */
function docRequest(target: string, extra: Record<string, string>, signature: string): SignedRequestParts {
  const base = { host: "examplebucket.s3.amazonaws.com", "x-amz-date": "20130524T000000Z" };
  const headers: Record<string, string> = { ...base, "x-amz-content-sha256": EMPTY_SHA256, ...extra };
  const signed = Object.keys(headers).sort().join(";");
  const scope = `${AKID}/20130524/us-east-1/s3/aws4_request`;
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope},SignedHeaders=${signed},Signature=${signature}`;
  const [method = "", rawUrl = ""] = target.split(" ");
  return { method, rawUrl, headers };
}

describe("AWS documented examples (S3 SigV4 docs)", () => {
  const date = "Fri, 24 May 2013 00:00:00 GMT";
  const putHeaders = { date, "x-amz-storage-class": "REDUCED_REDUNDANCY", "x-amz-content-sha256": WELCOME_SHA256 };
  it.each([
    ["GET /test.txt", { range: "bytes=0-9" }, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"],
    ["GET /?lifecycle", {}, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"],
    ["GET /?max-keys=2&prefix=J", {}, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"],
    ["PUT /test%24file.text", putHeaders, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"],
  ])("%s", (target, headers, signature) => {
    expect(check(docRequest(target, headers, signature), DOC_TIME)).toBe("ok");
  });

  it("presigned GET /test.txt", () => {
    const credential = `X-Amz-Credential=${AKID}%2F20130524%2Fus-east-1%2Fs3%2Faws4_request`;
    const query = `X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host`;
    const signature = "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    const rawUrl = `/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&${credential}&${query}&${signature}`;
    const parts = { method: "GET", rawUrl, headers: { host: "examplebucket.s3.amazonaws.com" } };
    expect(check(parts, DOC_TIME + 3600_000)).toBe("ok");
    expect(check(parts, DOC_TIME + 86401_000)).toBe("AccessDenied");
  });

  it("aws-chunked upload: seed signature, then chunk signatures", () => {
    const seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    const wire = { host: "s3.amazonaws.com", "content-encoding": "aws-chunked", "content-length": "66824" };
    const amz = { "x-amz-decoded-content-length": "66560", "x-amz-storage-class": "REDUCED_REDUNDANCY" };
    const headers = { ...wire, ...amz, "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" };
    expect(check(docRequest("PUT /examplebucket/chunkObject.txt", headers, seed), DOC_TIME)).toBe("ok");
    const key = signingKey(SECRET, "20130524", "us-east-1", "s3");
    const sign = (previous: string, size: number) =>
      chunkSignature(key, "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", previous, Buffer.alloc(size, "a"));
    const first = sign(seed, 65536);
    expect(first).toBe("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
    const second = sign(first, 1024);
    expect(second).toBe("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
    expect(sign(second, 0)).toBe("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
  });
});

// A local server records exactly what the SDK (or the CLI) put on the wire, and answers an empty 200.
let server: Server;
let endpoint: string;
const seen: SignedRequestParts[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", rawUrl: req.url ?? "", headers: req.headers });
    req.resume().on("end", () => res.writeHead(200, { "content-length": "0" }).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("JS SDK v3 requests (Authorization header)", () => {
  let client: s3.S3Client | undefined;
  afterAll(() => client?.destroy());
  async function capture(command: object): Promise<SignedRequestParts> {
    const before = seen.length;
    client ??= new s3.S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: CREDENTIALS });
    await client.send(command as s3.GetObjectCommand).catch(() => undefined); // the empty 200 may not parse; only the request matters
    expect(seen.length).toBe(before + 1);
    return seen.at(-1) as SignedRequestParts;
  }

  it.each(KEYS)("GetObject %j verifies", async (Key) => {
    expect(check(await capture(new s3.GetObjectCommand({ Bucket: "bkt", Key, Range: "bytes=0-9" })))).toBe("ok");
  });

  it.each([
    ["PutObject", new s3.PutObjectCommand({ Bucket: "bkt", Key: "a b/ü.txt", Body: "hi", ContentType: "text/plain" })],
    ["?uploads", new s3.CreateMultipartUploadCommand({ Bucket: "bkt", Key: "k+1 2" })],
    ["?inventory&id=x", new s3.GetBucketInventoryConfigurationCommand({ Bucket: "bkt", Id: "x" })],
    ["odd list params", new s3.ListObjectsV2Command({ Bucket: "bkt", Prefix: "a b+c=d&ü/", StartAfter: "~" })],
  ])("%s verifies", async (_name, command) => {
    expect(check(await capture(command))).toBe("ok");
  });

  it("rejects a wrong secret, tampering and a skewed clock", async () => {
    const parts = await capture(new s3.GetObjectCommand({ Bucket: "bkt", Key: "k", Range: "bytes=0-9" }));
    expect(check(parts, Date.now(), "wrong")).toBe(MISMATCH);
    expect(check({ ...parts, headers: { ...parts.headers, range: "bytes=0-99" } })).toBe(MISMATCH);
    expect(check({ ...parts, rawUrl: `${parts.rawUrl}&versionId=1` })).toBe(MISMATCH);
    expect(check({ ...parts, rawUrl: parts.rawUrl.replace("/k", "/K") })).toBe(MISMATCH);
    expect(check({ ...parts, method: "DELETE" })).toBe(MISMATCH);
    expect(check(parts, Date.now() + 16 * 60_000)).toBe("RequestTimeTooSkewed");
    expect(check(parts, Date.now() - 16 * 60_000)).toBe("RequestTimeTooSkewed");
  });

  it("reports S3's message and the canonical request in SignatureDoesNotMatch", async () => {
    const parts = await capture(new s3.GetObjectCommand({ Bucket: "bkt", Key: "a b" }));
    const auth = parseAuthorization(parts)!;
    const message =
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
    const CanonicalRequest = expect.stringMatching(/^GET\n\/bkt\/a%20b\nx-id=GetObject\n/);
    const fields = { AWSAccessKeyId: AKID, SignatureProvided: auth.signature, CanonicalRequest };
    const error = expect.objectContaining({ status: 403, message, fields: expect.objectContaining(fields) });
    expect(() => verifySignature(parts, auth, "wrong", Date.now())).toThrow(error);
  });
});

/** Encodes like the SDK's URL builder (RFC 3986: encodeURIComponent plus !'()*). */
const sdkEscape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Presigns the way @aws-sdk/s3-request-presigner does, and renders the URL the way the SDK formats it. */
async function presign(method: string, key: string, expiresIn: number, signingDate = new Date()) {
  const sha256 = new s3.S3Client({ region: "us-east-1" }).config.sha256;
  const options = { service: "s3", region: "us-east-1", credentials: CREDENTIALS, uriEscapePath: false };
  const path = `/bkt/${key.split("/").map(sdkEscape).join("/")}`;
  const headers = { host: "localhost:4566", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
  const query = { "x-id": method === "GET" ? "GetObject" : "PutObject" };
  const request = { method, protocol: "http:", hostname: "localhost", port: 4566, path, query, headers };
  const signed = await new SignatureV4({ ...options, sha256 }).presign(request, { expiresIn, signingDate });
  const params = Object.entries(signed.query ?? {}).map(([k, v]) => `${sdkEscape(k)}=${sdkEscape(String(v))}`);
  return { method, rawUrl: `${signed.path}?${params.join("&")}`, headers: { host: signed.headers.host } };
}

describe("presigned URLs (@smithy/signature-v4)", () => {
  it.each(["GET", "PUT"].flatMap((method) => KEYS.map((key) => [method, key])))("%s %j verifies", async (m, key) => {
    expect(check(await presign(m, key, 900))).toBe("ok");
  });

  it("expires after X-Amz-Expires, is not valid long before X-Amz-Date, binds method and secret", async () => {
    const signedAt = new Date(Date.now() - 3600_000);
    const parts = await presign("GET", "k", 3600, signedAt);
    expect(check(parts, signedAt.getTime() + 3599_000)).toBe("ok");
    expect(check(parts, signedAt.getTime() + 3601_000)).toBe("AccessDenied");
    expect(check(parts, signedAt.getTime() - 3600_000)).toBe("AccessDenied");
    expect(check(await presign("GET", "k", 604800, signedAt), signedAt.getTime() + 604000_000)).toBe("ok");
    expect(check({ ...parts, method: "PUT" }, signedAt.getTime())).toBe(MISMATCH);
    expect(check(parts, signedAt.getTime(), "wrong")).toBe(MISMATCH);
  });

  const queryError = "AuthorizationQueryParametersError";
  it.each([
    ["X-Amz-Expires=900", "X-Amz-Expires=901", MISMATCH],
    ["X-Amz-Expires=900", "X-Amz-Expires=900&acl", MISMATCH],
    ["X-Amz-Expires=900", "X-Amz-Expires=604801", queryError],
    ["X-Amz-Expires=900", "X-Amz-Expires=-1", queryError],
    ["X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1", queryError],
    ["%2Fs3%2F", "%2Fs4%2F", queryError],
    ["&X-Amz-Date=", "&X-Amz-Datum=", queryError],
  ])("%s -> %s is %s", async (from, to, expected) => {
    const parts = await presign("GET", "k", 900);
    expect(check({ ...parts, rawUrl: parts.rawUrl.replace(from, to) })).toBe(expected);
  });
});

describe("parseAuthorization edge cases", () => {
  const headers = { host: "h", "x-amz-date": "20130524T000000Z" };
  const req = (extra: object, rawUrl = "/b/k") => ({ method: "GET", rawUrl, headers: { ...headers, ...extra } });
  const scope = `${AKID}/20130524/us-east-1/s3/aws4_request`;
  const good = `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=abc`;
  const code = (parts: SignedRequestParts) => check(parts, DOC_TIME);

  it("maps malformed or foreign credentials to S3's error codes", () => {
    expect(code(req({}))).toBe("anonymous");
    expect(code(req({ authorization: `AWS ${AKID}:frJIUN8DYpKDtOLCwo//yllqDzg=` }))).toBe("InvalidRequest");
    expect(code(req({}, `/b/k?AWSAccessKeyId=${AKID}&Expires=1&Signature=x`))).toBe("InvalidRequest");
    expect(code(req({ authorization: "Bearer token" }))).toBe("InvalidArgument");
    expect(code(req({ authorization: good }, "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"))).toBe("InvalidArgument");
    const partialQuery = "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc";
    expect(code(req({}, partialQuery))).toBe("AuthorizationQueryParametersError");
    expect(code(req({ authorization: good.replace(", Signature=abc", "") }))).toBe("AuthorizationHeaderMalformed");
    expect(code(req({ authorization: good, "x-amz-date": "", date: "" }))).toBe("AccessDenied");
    expect(code(req({ authorization: good }))).toBe("InvalidRequest"); // header auth needs x-amz-content-sha256
  });

  const bad = "A/20130524/r/s3 A/20130525/r/s3/aws4_request A/20130524/r/ec2/aws4_request A/20130524/r/s3/aws4";
  it.each(bad.split(" "))("Credential=%s is AuthorizationHeaderMalformed", (credential) => {
    const authorization = good.replace(/Credential=[^,]+/, `Credential=${credential}`);
    expect(() => parseAuthorization(req({ authorization }))).toThrow(/^The authorization header is malformed; /);
  });

  it("uses S3's messages and returns the parsed scope", () => {
    const v2 = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";
    expect(() => parseAuthorization(req({ authorization: `AWS ${AKID}:sig` }))).toThrow(v2);
    const components = /^The authorization header is malformed; the authorization header requires three components/;
    expect(() => parseAuthorization(req({ authorization: "AWS4-HMAC-SHA256 Credential=x" }))).toThrow(components);
    const parsed = parseAuthorization(req({ authorization: good }));
    expect(parsed).toMatchObject({ accessKeyId: AKID, date: "20130524", region: "us-east-1", service: "s3" });
    expect(parsed).toMatchObject({ signedHeaders: ["host", "x-amz-date"], signature: "abc", presigned: false });
  });
});

describe.skipIf(!existsSync("/usr/bin/aws"))("AWS CLI requests (botocore's own encoding)", () => {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: AKID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: "us-east-1" };
  const aws = (...args: string[]) =>
    promisify(execFile)("/usr/bin/aws", ["--endpoint-url", endpoint, ...args], { env }).catch(() => ({ stdout: "" }));
  const oddKey = "!'()*$&,;:@=+[]~ ü/x//y";

  it.each(["head-object --key", "list-objects-v2 --prefix"])("s3api %s <odd key> verifies", async (command) => {
    const before = seen.length;
    await aws("s3api", ...command.split(" "), oddKey, "--bucket", "bkt");
    expect(seen.length).toBe(before + 1);
    expect(check(seen.at(-1) as SignedRequestParts)).toBe("ok");
  });

  it("s3 presign URL verifies", async () => {
    const { stdout } = await aws("s3", "presign", `s3://bkt/${oddKey}`, "--expires-in", "600");
    const [, host = "", rawUrl = ""] = /^https?:\/\/([^/]+)(.*)$/.exec(stdout.trim()) ?? [];
    expect(check({ method: "GET", rawUrl, headers: { host } })).toBe("ok");
  });
});
