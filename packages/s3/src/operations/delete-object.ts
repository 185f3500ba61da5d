import { findRequestChecksum } from "../body/checksums.js";
import type { Engine } from "../engine.js";
import { S3Error, toS3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import { emptyResponse, type S3Response, xmlResponse } from "../http/s3-response.js";
import { requestKeys } from "../policy/condition-keys.js";
import { NULL_VERSION_ID } from "../storage/records.js";
import type { XmlNode } from "../xml/xml-builder.js";
import { children, text } from "../xml/xml-parser.js";
import { commitVersion } from "./commit-version.js";
import { readXmlDocument } from "./request-documents.js";

interface DeleteOutcome {
  /** The version removed for good, or the delete marker created. */
  versionId?: string;
  deleteMarker: boolean;
}

/**
 * One delete, as S3 versioning defines it: with a version id, that version goes for good; without one,
 * an unversioned bucket drops the object, an enabled bucket gains a delete marker, and a suspended bucket
 * replaces its null version with a null delete marker.
 */
function deleteOne(engine: Engine, bucketName: string, key: string, versionId: string | undefined): DeleteOutcome {
  const bucket = engine.requireBucket(bucketName);
  if (versionId !== undefined) {
    const version = engine.metadata.getVersion(bucketName, key, versionId);
    if (!version) return { versionId, deleteMarker: false };
    engine.metadata.deleteVersion(version);
    engine.releaseBlobs([version.blobId]);
    return { versionId, deleteMarker: version.isDeleteMarker };
  }
  if (bucket.versioning === null) {
    const version = engine.metadata.getVersion(bucketName, key, NULL_VERSION_ID);
    if (version) {
      engine.metadata.deleteVersion(version);
      engine.releaseBlobs([version.blobId]);
    }
    return { deleteMarker: false };
  }
  const marker = commitVersion(engine, bucketName, key, {
    isDeleteMarker: true,
    size: 0,
    etag: "",
    storageClass: "STANDARD",
    partSizes: null,
    checksum: null,
    encryption: null,
    kmsKeyId: null,
    ownerId: bucket.ownerId,
    headers: { metadata: {} },
    tags: [],
    blobId: null,
  });
  return { versionId: marker.versionId, deleteMarker: true };
}

export function DeleteObject(engine: Engine, request: S3Request): S3Response {
  const outcome = deleteOne(
    engine,
    request.bucket as string,
    request.key as string,
    request.query.get("versionId") ?? undefined,
  );
  return emptyResponse(204, {
    "x-amz-version-id": outcome.versionId,
    "x-amz-delete-marker": outcome.deleteMarker ? "true" : undefined,
  });
}

const MAX_DELETE_KEYS = 1000;

export async function DeleteObjects(engine: Engine, request: S3Request): Promise<S3Response> {
  const bucketName = request.bucket as string;
  engine.requireBucket(bucketName);
  const integrityHeader =
    getHeader(request, "content-md5") ?? findRequestChecksum(request.headers) ?? getHeader(request, "x-amz-trailer");
  if (!integrityHeader) {
    throw new S3Error("InvalidRequest", { message: "Missing required header for this request: Content-MD5" });
  }
  const document = await readXmlDocument(engine, request, "Delete");
  const objects = children(document, "Object");
  if (!document || objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new S3Error("MalformedXML");
  const quiet = text(document, "Quiet")?.trim().toLowerCase() === "true";
  const results: XmlNode[] = [];
  for (const object of objects) {
    const key = text(object, "Key");
    if (key === undefined) throw new S3Error("MalformedXML");
    const versionId = text(object, "VersionId");
    try {
      engine.authorizer.authorize({
        principal: request.principal,
        action: versionId === undefined ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
        bucket: bucketName,
        key,
        keys: { ...requestKeys(request), "s3:versionid": versionId },
      });
      const outcome = deleteOne(engine, bucketName, key, versionId);
      if (quiet) continue;
      const markerCreated = versionId === undefined && outcome.deleteMarker;
      results.push([
        "Deleted",
        [
          ["Key", key],
          ["VersionId", versionId],
          ["DeleteMarker", outcome.deleteMarker ? "true" : undefined],
          ["DeleteMarkerVersionId", markerCreated ? outcome.versionId : undefined],
        ],
      ]);
    } catch (error) {
      const s3Error = toS3Error(error);
      results.push([
        "Error",
        [
          ["Key", key],
          ["VersionId", versionId],
          ["Code", s3Error.code],
          ["Message", s3Error.message],
        ],
      ]);
    }
  }
  return xmlResponse("DeleteResult", results);
}
