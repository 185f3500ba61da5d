import { isAwsChunked } from "../body/aws-chunked-decoder.js";
import { parseChecksumAlgorithm } from "../body/checksums.js";
import { DigestStream } from "../body/digest-stream.js";
import { openRequestBody } from "../body/request-body.js";
import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import { emptyResponse, type S3Response, xmlResponse } from "../http/s3-response.js";
import { requestKeys } from "../policy/condition-keys.js";
import type { ObjectVersion } from "../storage/records.js";
import { commitVersion } from "./commit-version.js";
import { checkPreconditions, checkWritePreconditions } from "./conditions.js";
import {
  ARCHIVED_CLASSES,
  isoDate,
  quoted,
  readEncryption,
  readStorageClass,
  readStoredHeaders,
  readTaggingHeader,
  validateKey,
  versionHeaders,
} from "./object-headers.js";

function checksumHeaders(version: ObjectVersion) {
  return version.checksum
    ? {
        [`x-amz-checksum-${version.checksum.algorithm.toLowerCase()}`]: version.checksum.value,
        "x-amz-checksum-type": version.checksum.type,
      }
    : {};
}

export async function PutObject(engine: Engine, request: S3Request): Promise<S3Response> {
  const bucketName = request.bucket as string;
  const key = request.key as string;
  const bucket = engine.requireBucket(bucketName);
  validateKey(key);
  // S3 takes a body of unknown length only as aws-chunked (x-amz-decoded-content-length says the size);
  // plain Transfer-Encoding: chunked is 501, and no length at all is 411.
  const awsChunked = isAwsChunked(request.headers);
  if (getHeader(request, "transfer-encoding")?.includes("chunked") && !awsChunked) {
    throw new S3Error("NotImplemented", { fields: { Header: "Transfer-Encoding" } });
  }
  if (getHeader(request, "content-length") === undefined && !awsChunked) throw new S3Error("MissingContentLength");
  const storageClass = readStorageClass(request);
  const { encryption, kmsKeyId } = readEncryption(request);
  const headers = readStoredHeaders(request);
  const tags = readTaggingHeader(request);
  checkWritePreconditions(request, () => engine.metadata.getVersion(bucketName, key));

  const body = openRequestBody(request.raw, {
    maxBytes: engine.limits.maxObjectBytes,
    idleTimeoutMs: engine.limits.bodyIdleTimeoutMs,
  });
  const { blobId } = await engine.blobs.write(body.stream);
  const digests = body.digest();
  try {
    checkWritePreconditions(request, () => engine.metadata.getVersion(bucketName, key));
  } catch (error) {
    engine.releaseBlobs([blobId]);
    throw error;
  }
  const version = commitVersion(engine, bucketName, key, {
    isDeleteMarker: false,
    size: digests.size,
    etag: digests.md5Hex,
    storageClass,
    partSizes: null,
    checksum: digests.checksum ? { ...digests.checksum, type: "FULL_OBJECT" } : null,
    encryption,
    kmsKeyId,
    ownerId: request.principal.canonicalId,
    headers,
    tags,
    blobId,
  });
  return emptyResponse(200, {
    etag: quoted(version.etag),
    ...versionHeaders(version, bucket.versioning !== null),
    ...checksumHeaders(version),
  });
}

/** x-amz-copy-source: `[/]bucket/key[?versionId=...]`, URL-encoded. */
function parseCopySource(raw: string): { bucket: string; key: string; versionId: string | undefined } {
  const [pathPart = "", queryPart] = raw.split("?", 2);
  let path: string;
  try {
    path = decodeURIComponent(pathPart.replace(/^\//, ""));
  } catch {
    throw new S3Error("InvalidArgument", { message: "Invalid copy source encoding" });
  }
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    throw new S3Error("InvalidArgument", {
      message: "Invalid copy source object key",
      fields: { ArgumentName: "x-amz-copy-source", ArgumentValue: raw },
    });
  }
  const versionId = queryPart ? (new URLSearchParams(queryPart).get("versionId") ?? undefined) : undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), versionId };
}

/** Finds the source version of a copy (CopyObject, UploadPartCopy) and checks its x-amz-copy-source-if-* headers. */
export function resolveCopySource(engine: Engine, request: S3Request): ObjectVersion {
  const source = parseCopySource(getHeader(request, "x-amz-copy-source") as string);
  engine.requireBucket(source.bucket);
  engine.authorizer.authorize({
    principal: request.principal,
    action: source.versionId === undefined ? "s3:GetObject" : "s3:GetObjectVersion",
    bucket: source.bucket,
    key: source.key,
    keys: { ...requestKeys(request), "s3:versionid": source.versionId },
  });
  const version = engine.metadata.getVersion(source.bucket, source.key, source.versionId);
  if (!version) {
    throw source.versionId
      ? new S3Error("NoSuchVersion", { fields: { Key: source.key, VersionId: source.versionId } })
      : new S3Error("NoSuchKey", { fields: { Key: source.key } });
  }
  if (version.isDeleteMarker) {
    throw source.versionId
      ? new S3Error("InvalidRequest", {
          message: "The source of a copy request may not specifically refer to a delete marker by version id.",
        })
      : new S3Error("NoSuchKey", { fields: { Key: source.key } });
  }
  if (ARCHIVED_CLASSES.has(version.storageClass)) {
    throw new S3Error("InvalidObjectState", {
      message:
        "The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.",
    });
  }
  checkPreconditions(request, version, "x-amz-copy-source-");
  return version;
}

/** Streams a stored version's bytes (optionally a range) through a fresh digest. */
export async function copyBlob(
  engine: Engine,
  source: ObjectVersion,
  checksumAlgorithm: string | null,
  range?: { start: number; end: number },
) {
  const digest = new DigestStream({ checksumAlgorithm: parseChecksumAlgorithm(checksumAlgorithm ?? undefined) });
  const input = engine.openObjectBytes(source, range);
  const { blobId } = await engine.blobs.write(input.pipe(digest));
  engine.touch(source);
  return { blobId, digests: digest.result() };
}

export async function CopyObject(engine: Engine, request: S3Request): Promise<S3Response> {
  const bucketName = request.bucket as string;
  const key = request.key as string;
  const bucket = engine.requireBucket(bucketName);
  validateKey(key);
  const source = resolveCopySource(engine, request);
  const replaceMetadata = getHeader(request, "x-amz-metadata-directive") === "REPLACE";
  const replaceTags = getHeader(request, "x-amz-tagging-directive") === "REPLACE";
  const storageClassHeader = getHeader(request, "x-amz-storage-class");
  const encryptionHeader = getHeader(request, "x-amz-server-side-encryption");
  const toItself = source.bucket === bucketName && source.key === key;
  if (toItself && !replaceMetadata && !storageClassHeader && !encryptionHeader) {
    throw new S3Error("InvalidRequest", {
      message:
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    });
  }
  const algorithm = getHeader(request, "x-amz-checksum-algorithm")?.toUpperCase() ?? source.checksum?.algorithm ?? null;
  const { blobId, digests } = await copyBlob(engine, source, algorithm);
  const { encryption, kmsKeyId } = encryptionHeader ? readEncryption(request) : source;
  const version = commitVersion(engine, bucketName, key, {
    isDeleteMarker: false,
    size: digests.size,
    etag: digests.md5Hex,
    storageClass: storageClassHeader ? readStorageClass(request) : source.storageClass,
    partSizes: null,
    checksum: digests.checksum ? { ...digests.checksum, type: "FULL_OBJECT" } : null,
    encryption,
    kmsKeyId,
    ownerId: request.principal.canonicalId,
    headers: replaceMetadata ? readStoredHeaders(request) : source.headers,
    tags: replaceTags ? readTaggingHeader(request) : source.tags,
    blobId,
  });
  const checksum = version.checksum
    ? [[`Checksum${version.checksum.algorithm}`, version.checksum.value] as [string, string]]
    : [];
  return xmlResponse(
    "CopyObjectResult",
    [["LastModified", isoDate(version.lastModifiedMs)], ["ETag", quoted(version.etag)], ...checksum],
    {
      ...versionHeaders(version, bucket.versioning !== null),
      "x-amz-copy-source-version-id": source.versionId === "null" ? undefined : source.versionId,
    },
  );
}
