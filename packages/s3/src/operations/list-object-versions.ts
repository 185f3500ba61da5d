import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import type { S3Request } from "../http/s3-request.js";
import { type S3Response, xmlResponse } from "../http/s3-response.js";
import type { ListCursor } from "../storage/metadata-store.js";
import type { ObjectVersion } from "../storage/records.js";
import type { XmlNode } from "../xml/xml-builder.js";
import { walkKeys } from "./key-walker.js";
import { cursorAfterMarker, listingEncoder, readMaxKeys } from "./list-objects.js";
import { isoDate, quoted } from "./object-headers.js";

/** key-marker alone resumes after every version of that key; with version-id-marker, after that version. */
function startCursor(
  engine: Engine,
  bucket: string,
  request: S3Request,
  prefix: string,
  delimiter: string,
): ListCursor {
  const keyMarker = request.query.get("key-marker") ?? "";
  const versionIdMarker = request.query.get("version-id-marker");
  if (versionIdMarker === null || versionIdMarker === "") return cursorAfterMarker(keyMarker, prefix, delimiter);
  if (!keyMarker) {
    throw new S3Error("InvalidArgument", {
      message: "A version-id marker cannot be specified without a key marker.",
      fields: { ArgumentName: "version-id-marker", ArgumentValue: versionIdMarker },
    });
  }
  const marker = engine.metadata.getVersion(bucket, keyMarker, versionIdMarker);
  if (!marker) {
    throw new S3Error("InvalidArgument", {
      message: "Invalid version id specified",
      fields: { ArgumentName: "version-id-marker", ArgumentValue: versionIdMarker },
    });
  }
  return { key: keyMarker, inclusive: false, beforeSeq: marker.seq };
}

function versionNode(request: S3Request, version: ObjectVersion, encode: (v: string) => string): XmlNode {
  const common: XmlNode[] = [
    ["Key", encode(version.key)],
    ["VersionId", version.versionId],
    ["IsLatest", version.isLatest],
    ["LastModified", isoDate(version.lastModifiedMs)],
  ];
  const owner: XmlNode = [
    "Owner",
    [
      ["ID", version.ownerId],
      ["DisplayName", request.principal.displayName],
    ],
  ];
  if (version.isDeleteMarker) return ["DeleteMarker", [...common, owner]];
  return [
    "Version",
    [
      ...common,
      ["ETag", quoted(version.etag)],
      ["ChecksumAlgorithm", version.checksum?.algorithm],
      ["ChecksumType", version.checksum?.type],
      ["Size", version.size],
      ["StorageClass", version.storageClass],
      owner,
    ],
  ];
}

export function ListObjectVersions(engine: Engine, request: S3Request): S3Response {
  const bucket = request.bucket as string;
  engine.requireBucket(bucket);
  const encode = listingEncoder(request);
  const maxKeys = readMaxKeys(request);
  const prefix = request.query.get("prefix") ?? "";
  const delimiter = request.query.get("delimiter") ?? "";
  const page = walkKeys<ObjectVersion>(
    { prefix, delimiter, maxKeys, start: startCursor(engine, bucket, request, prefix, delimiter) },
    (from, limit) => engine.metadata.listVersions(bucket, from, limit),
    (row) => ({ key: row.key, inclusive: false, beforeSeq: row.seq }),
  );
  const last = page.entries.at(-1);
  return xmlResponse("ListVersionsResult", [
    ["Name", bucket],
    ["Prefix", encode(prefix)],
    ["KeyMarker", encode(request.query.get("key-marker") ?? "")],
    ["VersionIdMarker", request.query.get("version-id-marker") ?? ""],
    ["NextKeyMarker", page.truncated ? encode(last?.row ? last.row.key : (last?.prefix ?? "")) : undefined],
    ["NextVersionIdMarker", page.truncated && last?.row ? last.row.versionId : undefined],
    ["MaxKeys", maxKeys],
    ["Delimiter", delimiter ? encode(delimiter) : undefined],
    ["EncodingType", request.query.get("encoding-type") ?? undefined],
    ["IsTruncated", page.truncated],
    ...page.entries.map(
      (entry): XmlNode =>
        entry.row
          ? versionNode(request, entry.row, encode)
          : ["CommonPrefixes", [["Prefix", encode(entry.prefix as string)]]],
    ),
  ]);
}
