import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import type { S3Request } from "../http/s3-request.js";
import { type S3Response, xmlResponse } from "../http/s3-response.js";
import type { ListCursor, ListedObject } from "../storage/metadata-store.js";
import type { XmlNode } from "../xml/xml-builder.js";
import { decodeContinuationToken, encodeContinuationToken } from "./continuation-token.js";
import { afterPrefix, type ListingEntry, walkKeys } from "./key-walker.js";
import { isoDate, quoted } from "./object-headers.js";

/** encoding-type=url: keys are percent-encoded (slashes kept) so any byte survives XML. */
export function listingEncoder(request: S3Request): (value: string) => string {
  const encoding = request.query.get("encoding-type");
  if (encoding === null) return (value) => value;
  if (encoding !== "url") {
    throw new S3Error("InvalidArgument", {
      message: "Invalid Encoding Method specified in Request",
      fields: { ArgumentName: "encoding-type", ArgumentValue: encoding },
    });
  }
  return (value) => encodeURIComponent(value).replace(/%2F/g, "/");
}

export function readMaxKeys(request: S3Request, name = "max-keys"): number {
  const raw = request.query.get(name);
  if (raw === null) return 1000;
  if (!/^\d+$/.test(raw)) {
    throw new S3Error("InvalidArgument", {
      message: "Provided max-keys not an integer or within integer range",
      fields: { ArgumentName: name, ArgumentValue: raw },
    });
  }
  return Math.min(Number(raw), 1000);
}

/** Where a listing resumes from a marker: after that key, or past a whole common prefix. */
export function cursorAfterMarker(marker: string, prefix: string, delimiter: string): ListCursor {
  const isPrefix =
    delimiter !== "" && marker.startsWith(prefix) && marker.endsWith(delimiter) && marker.length > prefix.length;
  return isPrefix ? afterPrefix(marker) : { key: marker, inclusive: false };
}

function ownerNode(request: S3Request, ownerId: string): XmlNode {
  return [
    "Owner",
    [
      ["ID", ownerId],
      ["DisplayName", request.principal.displayName],
    ],
  ];
}

function contentsNode(
  request: S3Request,
  object: ListedObject,
  encode: (v: string) => string,
  withOwner: boolean,
): XmlNode {
  return [
    "Contents",
    [
      ["Key", encode(object.key)],
      ["LastModified", isoDate(object.lastModifiedMs)],
      ["ETag", quoted(object.etag)],
      ["ChecksumAlgorithm", object.checksumAlgorithm ?? undefined],
      ["ChecksumType", object.checksumType ?? undefined],
      ["Size", object.size],
      ["StorageClass", object.storageClass],
      withOwner ? ownerNode(request, object.ownerId) : ["Owner", undefined],
    ],
  ];
}

function listPage(engine: Engine, request: S3Request, start: ListCursor, maxKeys: number) {
  const bucket = request.bucket as string;
  engine.requireBucket(bucket);
  const prefix = request.query.get("prefix") ?? "";
  const delimiter = request.query.get("delimiter") ?? "";
  const page = walkKeys<ListedObject>(
    { prefix, delimiter, maxKeys, start },
    (from, limit) => engine.metadata.listCurrent(bucket, from, limit),
    (row) => ({ key: row.key, inclusive: false }),
  );
  return { bucket, prefix, delimiter, ...page };
}

function entryNodes(
  request: S3Request,
  entries: ListingEntry<ListedObject>[],
  encode: (v: string) => string,
  withOwner: boolean,
) {
  return entries.map(
    (entry): XmlNode =>
      entry.row
        ? contentsNode(request, entry.row, encode, withOwner)
        : ["CommonPrefixes", [["Prefix", encode(entry.prefix as string)]]],
  );
}

function lastName(entries: ListingEntry<{ key: string }>[]): string {
  const last = entries.at(-1);
  return last?.row ? last.row.key : (last?.prefix ?? "");
}

export function ListObjectsV2(engine: Engine, request: S3Request): S3Response {
  const encode = listingEncoder(request);
  const maxKeys = readMaxKeys(request);
  const token = request.query.get("continuation-token");
  const startAfter = request.query.get("start-after") ?? "";
  const prefix = request.query.get("prefix") ?? "";
  const delimiter = request.query.get("delimiter") ?? "";
  const resumeAt = token !== null ? decodeContinuationToken(token) : startAfter;
  const start = cursorAfterMarker(resumeAt, prefix, token !== null ? delimiter : "");
  const page = listPage(engine, request, start, maxKeys);
  return xmlResponse("ListBucketResult", [
    ["Name", page.bucket],
    ["Prefix", encode(prefix)],
    ["Delimiter", delimiter ? encode(delimiter) : undefined],
    ["StartAfter", request.query.has("start-after") ? encode(startAfter) : undefined],
    ["ContinuationToken", token ?? undefined],
    ["NextContinuationToken", page.truncated ? encodeContinuationToken(lastName(page.entries)) : undefined],
    ["KeyCount", page.entries.length],
    ["MaxKeys", maxKeys],
    ["EncodingType", request.query.get("encoding-type") ?? undefined],
    ["IsTruncated", page.truncated],
    ...entryNodes(request, page.entries, encode, request.query.get("fetch-owner") === "true"),
  ]);
}

export function ListObjects(engine: Engine, request: S3Request): S3Response {
  const encode = listingEncoder(request);
  const maxKeys = readMaxKeys(request);
  const marker = request.query.get("marker") ?? "";
  const prefix = request.query.get("prefix") ?? "";
  const delimiter = request.query.get("delimiter") ?? "";
  const page = listPage(engine, request, cursorAfterMarker(marker, prefix, delimiter), maxKeys);
  return xmlResponse("ListBucketResult", [
    ["Name", page.bucket],
    ["Prefix", encode(prefix)],
    ["Marker", encode(marker)],
    // S3 gives NextMarker only with a delimiter; without one, clients resume after the last key.
    ["NextMarker", page.truncated && delimiter ? encode(lastName(page.entries)) : undefined],
    ["MaxKeys", maxKeys],
    ["Delimiter", delimiter ? encode(delimiter) : undefined],
    ["EncodingType", request.query.get("encoding-type") ?? undefined],
    ["IsTruncated", page.truncated],
    ...entryNodes(request, page.entries, encode, true),
  ]);
}
