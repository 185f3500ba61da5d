import { randomBytes } from "node:crypto";
import { S3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import type { HeaderValues } from "../http/s3-response.js";
import type { Encryption, ObjectVersion, StoredHeaders, Tag } from "../storage/records.js";

/** Storage classes S3 accepts in x-amz-storage-class. */
export const STORAGE_CLASSES = new Set([
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "OUTPOSTS",
  "GLACIER_IR",
  "SNOW",
  "EXPRESS_ONEZONE",
  "FSX_OPENZFS",
  "FSX_ONTAP",
]);
/** Classes whose objects must be restored before a GET (InvalidObjectState). */
export const ARCHIVED_CLASSES = new Set(["GLACIER", "DEEP_ARCHIVE"]);

const ENCRYPTIONS = new Set<Encryption>(["AES256", "aws:kms", "aws:kms:dsse"]);

/** Content headers stored with an object and returned as they came: request header -> StoredHeaders field. */
export const CONTENT_HEADERS = [
  ["content-type", "contentType"],
  ["content-encoding", "contentEncoding"],
  ["content-disposition", "contentDisposition"],
  ["content-language", "contentLanguage"],
  ["cache-control", "cacheControl"],
  ["expires", "expires"],
] as const;

const META_PREFIX = "x-amz-meta-";
export const MAX_KEY_BYTES = 1024;

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

export function quoted(etag: string): string {
  return `"${etag}"`;
}

/**
 * Opaque ids (version ids, upload ids) from random bytes: URL-safe base64, never starting with `-` or `_`,
 * because command lines (`aws s3api ... --upload-id -x`) would read a leading `-` as an option.
 */
export function opaqueId(bytes: Buffer): string {
  const id = bytes.toString("base64url");
  return /^[-_]/.test(id) ? `A${id.slice(1)}` : id;
}

/** Version ids: opaque, URL-safe, unique (S3's are 32 characters). */
export function newVersionId(): string {
  return opaqueId(randomBytes(24));
}

export function validateKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new S3Error("KeyTooLongError", {
      fields: { Size: String(Buffer.byteLength(key)), MaxSizeAllowed: String(MAX_KEY_BYTES) },
    });
  }
}

/** Content headers and x-amz-meta-* of a request. `aws-chunked` is transport framing, not content encoding. */
export function readStoredHeaders(request: S3Request): StoredHeaders {
  const stored: StoredHeaders = { metadata: {} };
  for (const [name, field] of CONTENT_HEADERS) {
    let value = getHeader(request, name);
    if (name === "content-encoding" && value !== undefined) {
      value =
        value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s && s !== "aws-chunked")
          .join(",") || undefined;
    }
    if (value !== undefined) stored[field] = value;
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(META_PREFIX) && value !== undefined) {
      stored.metadata[name.slice(META_PREFIX.length)] = Array.isArray(value) ? value.join(",") : value;
    }
  }
  return stored;
}

export function readStorageClass(request: S3Request): string {
  const value = getHeader(request, "x-amz-storage-class") ?? "STANDARD";
  if (!STORAGE_CLASSES.has(value))
    throw new S3Error("InvalidStorageClass", { fields: { StorageClassRequested: value } });
  return value;
}

/** S3 encrypts every new object (SSE-S3 by default since 2023); SSE-KMS when asked. */
export function readEncryption(request: S3Request): { encryption: Encryption; kmsKeyId: string | null } {
  const value = (getHeader(request, "x-amz-server-side-encryption") ?? "AES256") as Encryption;
  if (!ENCRYPTIONS.has(value)) {
    throw new S3Error("InvalidArgument", {
      message: "The encryption method specified is not supported",
      fields: { ArgumentName: "x-amz-server-side-encryption", ArgumentValue: value },
    });
  }
  const kmsKeyId =
    value === "AES256" ? null : (getHeader(request, "x-amz-server-side-encryption-aws-kms-key-id") ?? null);
  return { encryption: value, kmsKeyId };
}

/** x-amz-tagging: a URL query string of tags. */
export function readTaggingHeader(request: S3Request): Tag[] {
  const raw = getHeader(request, "x-amz-tagging");
  if (!raw) return [];
  return [...new URLSearchParams(raw)].map(([key, value]) => ({ key, value }));
}

/** Headers that describe a stored version, shared by GET, HEAD, PUT and copy responses. */
export function versionHeaders(version: ObjectVersion, bucketVersioned: boolean): HeaderValues {
  return {
    "x-amz-version-id": bucketVersioned || version.versionId !== "null" ? version.versionId : undefined,
    "x-amz-server-side-encryption": version.encryption ?? undefined,
    "x-amz-server-side-encryption-aws-kms-key-id": version.kmsKeyId ?? undefined,
  };
}

/** The full header set of GET/HEAD for an object. */
export function objectHeaders(
  version: ObjectVersion,
  bucketVersioned: boolean,
  includeChecksum: boolean,
): HeaderValues {
  const headers: HeaderValues = {
    ...versionHeaders(version, bucketVersioned),
    etag: quoted(version.etag),
    "last-modified": httpDate(version.lastModifiedMs),
    "accept-ranges": "bytes",
    "content-type": version.headers.contentType ?? "binary/octet-stream",
    "x-amz-storage-class": version.storageClass === "STANDARD" ? undefined : version.storageClass,
    "x-amz-tagging-count": version.tags.length || undefined,
  };
  for (const [name, field] of CONTENT_HEADERS) if (name !== "content-type") headers[name] = version.headers[field];
  for (const [name, value] of Object.entries(version.headers.metadata)) headers[`${META_PREFIX}${name}`] = value;
  if (includeChecksum && version.checksum) {
    headers[`x-amz-checksum-${version.checksum.algorithm.toLowerCase()}`] = version.checksum.value;
    headers["x-amz-checksum-type"] = version.checksum.type;
  }
  return headers;
}
