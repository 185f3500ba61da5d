import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import type { HeaderValues, S3Response } from "../http/s3-response.js";
import type { ObjectVersion } from "../storage/records.js";
import { checkPreconditions } from "./conditions.js";
import { ARCHIVED_CLASSES, httpDate, objectHeaders } from "./object-headers.js";

/** Query parameters that override response headers on GET (presigned download links use them). */
const RESPONSE_OVERRIDES = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"],
] as const;

/**
 * The version a GET/HEAD addresses, with S3's delete-marker answers: the latest being a marker is
 * 404 NoSuchKey; naming a marker by version id is 405 MethodNotAllowed. Both carry x-amz-delete-marker.
 */
export function findReadableVersion(engine: Engine, request: S3Request): ObjectVersion {
  const bucket = request.bucket as string;
  const key = request.key as string;
  engine.requireBucket(bucket);
  const versionId = request.query.get("versionId") ?? undefined;
  const version = engine.metadata.getVersion(bucket, key, versionId);
  if (!version) {
    throw versionId !== undefined
      ? new S3Error("NoSuchVersion", { fields: { Key: key, VersionId: versionId } })
      : new S3Error("NoSuchKey", { fields: { Key: key } });
  }
  if (version.isDeleteMarker) {
    const headers = { "x-amz-delete-marker": "true", "x-amz-version-id": version.versionId };
    if (versionId === undefined) throw new S3Error("NoSuchKey", { fields: { Key: key }, headers });
    throw new S3Error("MethodNotAllowed", {
      fields: { Method: request.method, ResourceType: "DeleteMarker" },
      headers: { ...headers, "last-modified": httpDate(version.lastModifiedMs), allow: "DELETE" },
    });
  }
  return version;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`. Anything else (several ranges, bad syntax) means the whole object. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [first, last] = [match[1] as string, match[2] as string];
  let range: { start: number; end: number };
  if (first === "") range = { start: Math.max(0, size - Number(last)), end: size - 1 };
  else range = { start: Number(first), end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
  if (range.start >= size || range.end < range.start || (first === "" && Number(last) === 0)) {
    throw new S3Error("InvalidRange", {
      fields: { RangeRequested: header as string, ActualObjectSize: String(size) },
      headers: { "content-range": `bytes */${size}` },
    });
  }
  return range;
}

/**
 * `?partNumber=N` reads one part of a multipart object (a plain object is one part), and makes S3 report
 * the part count in x-amz-mp-parts-count.
 */
function partRange(
  request: S3Request,
  version: ObjectVersion,
): { start: number; end: number; count: number } | undefined {
  const raw = request.query.get("partNumber");
  if (raw === null) return undefined;
  const number = /^\d+$/.test(raw) ? Number(raw) : 0;
  const sizes = version.partSizes ?? [version.size];
  if (number < 1 || number > 10_000) {
    throw new S3Error("InvalidArgument", {
      message: "Part number must be an integer between 1 and 10000, inclusive",
      fields: { ArgumentName: "partNumber", ArgumentValue: raw },
    });
  }
  if (number > sizes.length)
    throw new S3Error("InvalidPartNumber", {
      fields: { PartNumberRequested: raw, ActualPartCount: String(sizes.length) },
    });
  const start = sizes.slice(0, number - 1).reduce((sum, size) => sum + size, 0);
  return { start, end: start + (sizes[number - 1] as number) - 1, count: sizes.length };
}

function readObject(engine: Engine, request: S3Request, withBody: boolean): S3Response {
  const version = findReadableVersion(engine, request);
  if (ARCHIVED_CLASSES.has(version.storageClass) && withBody) {
    throw new S3Error("InvalidObjectState", {
      message: "The action is not valid for the object's storage class",
      fields: { StorageClass: version.storageClass },
    });
  }
  checkPreconditions(request, version);
  const bucket = engine.requireBucket(version.bucket);
  const part = partRange(request, version);
  if (part && getHeader(request, "range") !== undefined) {
    throw new S3Error("InvalidRequest", { message: "Cannot specify both Range header and partNumber query parameter" });
  }
  const range = part ?? parseRange(getHeader(request, "range"), version.size);
  const checksumMode = getHeader(request, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED";
  const headers: HeaderValues = objectHeaders(version, bucket.versioning !== null, checksumMode && !range);
  for (const [parameter, name] of RESPONSE_OVERRIDES) {
    const value = request.query.get(parameter);
    if (value !== null) headers[name] = value;
  }
  headers["content-length"] = range ? range.end - range.start + 1 : version.size;
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${version.size}`;
  if (part) headers["x-amz-mp-parts-count"] = part.count;
  if (withBody) engine.touch(version);
  const status = range ? 206 : 200;
  if (!withBody || version.size === 0) return { status, headers };
  return { status, headers, body: engine.openObjectBytes(version, range) };
}

export function GetObject(engine: Engine, request: S3Request): S3Response {
  return readObject(engine, request, true);
}

export function HeadObject(engine: Engine, request: S3Request): S3Response {
  return readObject(engine, request, false);
}
