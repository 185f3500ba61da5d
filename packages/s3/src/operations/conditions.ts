import { S3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import type { ObjectVersion } from "../storage/records.js";

/** The four HTTP preconditions, under a header prefix ("" for GET/HEAD, "x-amz-copy-source-" for copies). */
const matches = (list: string, etag: string) =>
  list.split(",").some((item) => {
    const candidate = item.trim();
    return candidate === "*" || candidate.replace(/^W\//, "").replace(/"/g, "") === etag;
  });

const parseDate = (value: string | undefined) => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * RFC 7232 evaluation order as S3 applies it: If-Match, then If-Unmodified-Since (ignored when If-Match
 * held), then If-None-Match, then If-Modified-Since (ignored when If-None-Match is present).
 * Failing If-None-Match / If-Modified-Since on a read is 304 NotModified; on a copy it is 412.
 */
export function checkPreconditions(request: S3Request, version: ObjectVersion, prefix = ""): void {
  const ifMatch = getHeader(request, `${prefix}if-match`);
  const ifNoneMatch = getHeader(request, `${prefix}if-none-match`);
  const unmodifiedSince = parseDate(getHeader(request, `${prefix}if-unmodified-since`));
  const modifiedSince = parseDate(getHeader(request, `${prefix}if-modified-since`));
  // HTTP dates have whole seconds; compare at that precision.
  const lastModified = Math.floor(version.lastModifiedMs / 1000) * 1000;
  const notModified = prefix ? "PreconditionFailed" : "NotModified";
  const extra = prefix ? {} : { headers: { etag: `"${version.etag}"` } };

  if (ifMatch !== undefined) {
    if (!matches(ifMatch, version.etag)) throw new S3Error("PreconditionFailed", { fields: { Condition: "If-Match" } });
  } else if (unmodifiedSince !== undefined && lastModified > unmodifiedSince) {
    throw new S3Error("PreconditionFailed", { fields: { Condition: "If-Unmodified-Since" } });
  }
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch, version.etag)) throw new S3Error(notModified, extra);
  } else if (modifiedSince !== undefined && lastModified <= modifiedSince) {
    throw new S3Error(notModified, extra);
  }
}

/** Conditional writes (If-None-Match: * and If-Match on PutObject / CompleteMultipartUpload). */
export function checkWritePreconditions(request: S3Request, currentVersion: () => ObjectVersion | undefined): void {
  const ifNoneMatch = getHeader(request, "if-none-match");
  const ifMatch = getHeader(request, "if-match");
  // Most writes are unconditional: only look the current version up when a condition needs it.
  if (ifNoneMatch === undefined && ifMatch === undefined) return;
  const current = currentVersion();
  const live = current && !current.isDeleteMarker ? current : undefined;
  if (ifNoneMatch === "*" && live) throw new S3Error("PreconditionFailed", { fields: { Condition: "If-None-Match" } });
  if (ifMatch !== undefined) {
    if (!live) throw new S3Error("NoSuchKey", { fields: { Key: request.key ?? "" } });
    if (!matches(ifMatch, live.etag)) throw new S3Error("PreconditionFailed", { fields: { Condition: "If-Match" } });
  }
}
