import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { S3ErrorCode } from "../errors/error-codes.js";
import { S3Error } from "../errors/s3-error.js";

/**
 * SigV4 verification, S3 flavour (Authorization header and presigned URLs). Unlike other services, S3's canonical URI
 * is the path as sent (no `.`/`..`/`//` normalization, no double encoding), only re-encoded to RFC 3986.
 */
export interface SignedRequestParts {
  method: string;
  /** The raw request target as received: path (still percent-encoded as the client sent it) + "?" + raw query. */
  rawUrl: string;
  /** Header names lower-case, values as received (node's IncomingMessage.headers shape). */
  headers: Record<string, string | string[] | undefined>;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string /* yyyymmdd */;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  presigned: boolean;
  /** ISO 8601 basic (yyyymmddThhmmssZ), as it appears in the string to sign. */
  amzDate: string;
  expiresSeconds?: number;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_EXPIRES_SECONDS = 604800;
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const PRESIGN_PARAMS = "X-Amz-Algorithm X-Amz-Credential X-Amz-Signature X-Amz-Date X-Amz-SignedHeaders".split(" ");
const ENCODED_BYTE = Array.from({ length: 256 }, (_, byte) => {
  const c = String.fromCharCode(byte);
  return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
});
const MSG = {
  headerMalformed: "The authorization header is malformed; ",
  queryCredential: "Error parsing the X-Amz-Credential parameter; ",
  components: "the authorization header requires three components: Credential, SignedHeaders, and Signature.",
  credentialShape: 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
  queryParams: `Query-string authentication version 4 requires the ${PRESIGN_PARAMS.join(", ")}, and X-Amz-Expires parameters.`,
  amzDateFormat: "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
  tooLong: `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`,
  v2: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
  twoMechanisms:
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
};

export function parseAuthorization(parts: SignedRequestParts): ParsedAuthorization | undefined {
  const header = headerValue(parts.headers, "authorization").trim();
  const query = decodedQuery(parts.rawUrl);
  const presigned = PRESIGN_PARAMS.slice(0, 3).some((name) => query.has(name));
  const argument = { ArgumentName: "Authorization", ArgumentValue: header };
  if (header && presigned) throw fail("InvalidArgument", MSG.twoMechanisms, argument);
  const sigV2 = /^AWS\s/.test(header) || (query.has("AWSAccessKeyId") && query.has("Signature"));
  if (sigV2) throw fail("InvalidRequest", MSG.v2);
  if (header.startsWith(`${ALGORITHM} `)) return parseHeaderAuth(header, parts.headers);
  if (header) throw fail("InvalidArgument", "Unsupported Authorization Type", argument);
  return presigned ? parseQueryAuth(query) : undefined;
}

export function verifySignature(req: SignedRequestParts, auth: ParsedAuthorization, secret: string, now: number): void {
  checkTime(auth, now);
  const canonical = canonicalRequest(req, auth);
  const stringToSign = `${ALGORITHM}\n${auth.amzDate}\n${credentialScope(auth)}\n${sha256Hex(canonical)}`;
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  if (sameText(expected, auth.signature)) return;
  // Real S3 returns the canonical request and string to sign too: they are what makes a client bug debuggable.
  const { accessKeyId: AWSAccessKeyId, signature: SignatureProvided } = auth;
  const fields = { AWSAccessKeyId, StringToSign: stringToSign, SignatureProvided, CanonicalRequest: canonical };
  throw new S3Error("SignatureDoesNotMatch", { fields });
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  let key = Buffer.from(`AWS4${secret}`, "utf8");
  for (const part of [date, region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  return key;
}

/** Signature of one aws-chunked chunk; `scope` is credentialScope(auth), the first `previous` the seed signature. */
export function chunkSignature(key: Buffer, amzDate: string, scope: string, previous: string, chunk: Buffer): string {
  const stringToSign = `${ALGORITHM}-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${sha256Hex(chunk)}`;
  return createHmac("sha256", key).update(stringToSign).digest("hex");
}

export function credentialScope(auth: Pick<ParsedAuthorization, "date" | "region" | "service">): string {
  return `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
}

function parseHeaderAuth(header: string, headers: SignedRequestParts["headers"]): ParsedAuthorization {
  const field = (name: string) => new RegExp(`[\\s,]${name}=([^\\s,]+)`).exec(header)?.[1];
  const [credential, signedHeaders, signature] = ["Credential", "SignedHeaders", "Signature"].map(field);
  const malformed = (message: string) => fail("AuthorizationHeaderMalformed", MSG.headerMalformed + message);
  if (!credential || !signedHeaders || !signature) throw malformed(MSG.components);
  const amzDate = requestDate(headers);
  const scope = parseCredential(credential, amzDate, malformed);
  return { ...scope, signedHeaders: signedHeaders.split(";"), signature, presigned: false, amzDate };
}

function parseQueryAuth(query: Map<string, string>): ParsedAuthorization {
  const get = (name: string): string => query.get(name) ?? "";
  const invalid = (message: string) => fail("AuthorizationQueryParametersError", message);
  if ([...PRESIGN_PARAMS, "X-Amz-Expires"].some((name) => !query.get(name))) throw invalid(MSG.queryParams);
  if (get("X-Amz-Algorithm") !== ALGORITHM) throw invalid(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const amzDate = get("X-Amz-Date");
  if (isoBasicToMs(amzDate) === undefined) throw invalid(MSG.amzDateFormat);
  const expires = get("X-Amz-Expires");
  const why = /^-\d+$/.test(expires) ? "must be non-negative" : "should be a number";
  if (!/^\d+$/.test(expires)) throw invalid(`X-Amz-Expires ${why}`);
  if (Number(expires) > MAX_EXPIRES_SECONDS) throw invalid(MSG.tooLong);
  const scope = parseCredential(get("X-Amz-Credential"), amzDate, (m) => invalid(MSG.queryCredential + m));
  const signedHeaders = get("X-Amz-SignedHeaders").split(";");
  const signature = get("X-Amz-Signature");
  return { ...scope, signedHeaders, signature, presigned: true, amzDate, expiresSeconds: Number(expires) };
}

/** "AKID/yyyymmdd/region/service/aws4_request"; the date must be the request's date. */
function parseCredential(credential: string, amzDate: string, bad: (message: string) => S3Error) {
  const [accessKeyId, date, region, service, terminal, ...rest] = credential.split("/");
  if (!accessKeyId || !date || !region || !service || !terminal || rest.length) throw bad(MSG.credentialShape);
  if (terminal !== "aws4_request") throw bad(`incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  if (service !== "s3") throw bad(`incorrect service "${service}". This endpoint belongs to "s3".`);
  const day = amzDate.slice(0, 8);
  if (date !== day) throw bad(`Invalid credential date "${date}". This date is not the same as X-Amz-Date: "${day}".`);
  return { accessKeyId, date, region, service };
}

/** The signing time: X-Amz-Date, else Date (RFC 1123), as an ISO 8601 basic timestamp. */
function requestDate(headers: SignedRequestParts["headers"]): string {
  const raw = headerValue(headers, "x-amz-date") || headerValue(headers, "date");
  if (isoBasicToMs(raw) !== undefined) return raw;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw fail("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

function checkTime(auth: ParsedAuthorization, nowMs: number): void {
  const signedAt = isoBasicToMs(auth.amzDate) ?? Number.NaN;
  const ServerTime = new Date(nowMs).toISOString();
  if (!auth.presigned && !(Math.abs(nowMs - signedAt) <= MAX_SKEW_MS)) {
    const fields = { RequestTime: auth.amzDate, ServerTime, MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) };
    throw new S3Error("RequestTimeTooSkewed", { fields });
  }
  if (!auth.presigned) return;
  if (signedAt - nowMs > MAX_SKEW_MS) throw fail("AccessDenied", "Request is not valid yet");
  const expiresAt = signedAt + (auth.expiresSeconds ?? 0) * 1000;
  if (nowMs <= expiresAt) return;
  const Expires = new Date(expiresAt).toISOString();
  const fields = { "X-Amz-Expires": String(auth.expiresSeconds), Expires, ServerTime };
  throw fail("AccessDenied", "Request has expired", fields);
}

function isoBasicToMs(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function canonicalRequest(parts: SignedRequestParts, auth: ParsedAuthorization): string {
  const { path, query } = splitUrl(parts.rawUrl);
  const params = parseQuery(query).filter(([name]) => !(auth.presigned && name === "X-Amz-Signature"));
  // Sorted by name, then value: with NUL (below any encoded character) as separator a plain sort does both.
  const encoded = params.map(([name, value]) => `${uriEncode(name)}\0${uriEncode(value)}`).sort();
  const canonicalQuery = encoded.join("&").replaceAll("\0", "=");
  const names = auth.signedHeaders;
  const headers = names.map((name) => `${name}:${canonicalHeaderValue(parts.headers[name.toLowerCase()])}\n`).join("");
  const payload = payloadHash(parts, auth);
  return [parts.method, canonicalUri(path), canonicalQuery, headers, names.join(";"), payload].join("\n");
}

/** Presigned URLs carry no body hash unless the signer put one in the query (the JS SDK does) or signed the header. */
function payloadHash(parts: SignedRequestParts, auth: ParsedAuthorization): string {
  const header = headerValue(parts.headers, "x-amz-content-sha256");
  if (!auth.presigned && !header)
    throw fail("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
  if (!auth.presigned) return header;
  const fromQuery = [...decodedQuery(parts.rawUrl)].find(([name]) => name.toLowerCase() === "x-amz-content-sha256");
  if (fromQuery) return fromQuery[1];
  return auth.signedHeaders.includes("x-amz-content-sha256") && header ? header : "UNSIGNED-PAYLOAD";
}

/** Each `/`-separated piece is decoded and re-encoded, so `%2F` inside a key stays encoded and `//` stays. */
function canonicalUri(path: string): string {
  return path === "" ? "/" : path.split("/").map(uriEncode).join("/");
}

/** Values trimmed, inner whitespace runs collapsed; repeated headers (arrays) joined with ",". */
function canonicalHeaderValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : [value ?? ""];
  return values.map((v) => v.replace(/\s+/g, " ").trim()).join(",");
}

/** Decodes at byte level and re-encodes per RFC 3986: only A-Za-z0-9-._~ stay literal, escapes upper-case. */
function uriEncode(raw: string): string {
  return [...percentDecode(raw)].map((byte) => ENCODED_BYTE[byte]).join("");
}

/** Bytes of a percent-encoded string: valid %XX escapes become bytes, anything else (also `+`) its UTF-8. */
function percentDecode(raw: string): Buffer {
  const pieces = raw.split(/(%[0-9A-Fa-f]{2})/);
  const bytes = pieces.map((p, i) => (i % 2 ? Buffer.from([Number.parseInt(p.slice(1), 16)]) : Buffer.from(p, "utf8")));
  return Buffer.concat(bytes);
}

/** Raw (still encoded) name/value pairs; a parameter without `=` has an empty value. */
function parseQuery(query: string): Array<[string, string]> {
  const items = query.split("&").filter((item) => item !== "");
  return items.map((item) => item.split(/=(.*)/s)).map(([name = "", value = ""]) => [name, value]);
}

/** Decoded query parameters, first occurrence wins (for reading the X-Amz-* auth parameters). */
function decodedQuery(rawUrl: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of parseQuery(splitUrl(rawUrl).query)) {
    const key = percentDecode(name).toString();
    if (!query.has(key)) query.set(key, percentDecode(value).toString());
  }
  return query;
}

/** Splits the request target; tolerates absolute-form targets ("http://host/path"). */
function splitUrl(rawUrl: string): { path: string; query: string } {
  const target = rawUrl.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/, "");
  const q = target.indexOf("?");
  return q < 0 ? { path: target, query: "" } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

function headerValue(headers: SignedRequestParts["headers"], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Constant-time comparison, so the emulator does not leak how much of a signature matched. */
function sameText(a: string, b: string): boolean {
  return Buffer.byteLength(a) === Buffer.byteLength(b) && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function fail(code: S3ErrorCode, message: string, fields?: Record<string, string>): S3Error {
  return new S3Error(code, { message, ...(fields ? { fields } : {}) });
}
