import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import { NULL_VERSION_ID, type ObjectVersion } from "../storage/records.js";
import { newVersionId } from "./object-headers.js";

export type VersionDraft = Omit<
  ObjectVersion,
  "bucket" | "key" | "seq" | "isLatest" | "versionId" | "lastModifiedMs" | "lastAccessMs"
>;

/**
 * Makes stored bytes visible as the new latest version of a key. The bucket is read again at this moment:
 * its versioning state decides between a new version id and replacing the null version, and a bucket
 * deleted during a long upload leaves nothing behind.
 */
export function commitVersion(engine: Engine, bucketName: string, key: string, draft: VersionDraft): ObjectVersion {
  const bucket = engine.metadata.getBucket(bucketName);
  if (!bucket) {
    engine.releaseBlobs([draft.blobId]);
    throw new S3Error("NoSuchBucket", { fields: { BucketName: bucketName } });
  }
  const now = engine.now();
  const { version, orphanBlobs } = engine.metadata.putVersion({
    ...draft,
    bucket: bucketName,
    key,
    versionId: bucket.versioning === "Enabled" ? newVersionId() : NULL_VERSION_ID,
    lastModifiedMs: now,
    lastAccessMs: draft.isDeleteMarker ? null : now,
  });
  engine.releaseBlobs(orphanBlobs);
  return version;
}
