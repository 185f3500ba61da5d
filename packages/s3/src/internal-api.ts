import { createHash, randomBytes } from "node:crypto";
import { pipeline, type Readable } from "node:stream";
import type { Principal } from "./auth/identity.js";
import { DigestStream } from "./body/digest-stream.js";
import type { Engine } from "./engine.js";
import { S3Error } from "./errors/s3-error.js";
import { commitVersion } from "./operations/commit-version.js";
import { opaqueId, STORAGE_CLASSES, validateKey } from "./operations/object-headers.js";
import { type Encryption, NULL_VERSION_ID, type ObjectVersion } from "./storage/records.js";

/**
 * What plugins (the inventory report engine) and test set-up use instead of HTTP: writes made by a
 * principal through the same authorization and storage path as PutObject, and bulk seeding.
 */

export interface WriteObjectInput {
  bucket: string;
  key: string;
  body: Readable;
  contentType?: string;
  encryption?: { type: Encryption; kmsKeyId?: string };
  /** Condition keys for the policy decision (aws:SourceArn, s3:x-amz-acl, ...), lower-case names. */
  keys?: Record<string, string | undefined>;
}

/** Stores an object as `principal`, if the bucket's policies let it s3:PutObject; AccessDenied otherwise. */
export async function writeObjectAs(engine: Engine, principal: Principal, input: WriteObjectInput) {
  engine.requireBucket(input.bucket);
  validateKey(input.key);
  const decision = engine.authorizer.decide({
    principal,
    action: "s3:PutObject",
    bucket: input.bucket,
    key: input.key,
    keys: input.keys ?? {},
  });
  if (!decision.allowed) {
    input.body.destroy();
    throw new S3Error("AccessDenied", {
      message: `Access Denied: ${principal.arn} may not s3:PutObject ${input.bucket}/${input.key} (${decision.reason})`,
    });
  }
  // pipeline, not pipe: a failing body (a report whose encoder failed) then fails the write, where pipe left its
  // error unhandled and it took the process down; and a failing write destroys the body (and its encoder thread).
  const digest = pipeline(input.body, new DigestStream(), () => {});
  let blobId: string;
  try {
    ({ blobId } = await engine.blobs.write(digest));
  } catch (error) {
    input.body.destroy();
    throw error;
  }
  const { size, md5Hex } = digest.result();
  const bucket = engine.requireBucket(input.bucket);
  const version = commitVersion(engine, input.bucket, input.key, {
    isDeleteMarker: false,
    size,
    etag: md5Hex,
    storageClass: "STANDARD",
    partSizes: null,
    checksum: null,
    encryption: input.encryption?.type ?? "AES256",
    kmsKeyId: input.encryption?.kmsKeyId ?? null,
    ownerId: bucket.ownerId,
    headers: { metadata: {}, ...(input.contentType ? { contentType: input.contentType } : {}) },
    tags: [],
    blobId,
  });
  return { size, md5Hex, versionId: version.versionId };
}

const zeroDigests = new Map<number, string>();
const ZERO_BLOCK = Buffer.alloc(1024 * 1024);

/** The real ETag of a seeded object's content (`size` zero bytes), cached per size. */
function zeroBytesMd5(size: number): string {
  let digest = zeroDigests.get(size);
  if (digest === undefined) {
    const hash = createHash("md5");
    for (let left = size; left > 0; left -= ZERO_BLOCK.length)
      hash.update(left >= ZERO_BLOCK.length ? ZERO_BLOCK : ZERO_BLOCK.subarray(0, left));
    digest = hash.digest("hex");
    if (zeroDigests.size < 100_000) zeroDigests.set(size, digest);
  }
  return digest;
}

/**
 * Version ids as newVersionId() makes them (24 random bytes, base64url), with the bytes drawn for a thousand at a
 * time: a CSPRNG call per version was 15% of seeding 100k versions (scripts/bench/inventory.mjs).
 */
function pooledVersionIds(): () => string {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at === pool.length) {
      pool = randomBytes(24 * 1000);
      at = 0;
    }
    at += 24;
    return opaqueId(pool.subarray(at - 24, at));
  };
}

/** An object to seed: metadata only. Without a body the object reads as `size` zero bytes. */
export interface SeedObject {
  key: string;
  size?: number;
  etag?: string;
  lastModifiedMs?: number;
  storageClass?: string;
  /** Parts of a multipart upload, to seed "multipart" objects. */
  partSizes?: number[];
  deleteMarker?: boolean;
}

/**
 * Adds objects (and, in versioned buckets, versions or delete markers) without HTTP and without writing
 * bytes: 1M objects in seconds, for benchmarks and large-bucket tests. Batches commit in one transaction.
 */
export function seedObjects(
  engine: Engine,
  bucketName: string,
  objects: Iterable<SeedObject>,
  batchSize = 10_000,
): number {
  const bucket = engine.requireBucket(bucketName);
  const ownerId = bucket.ownerId;
  const nextVersionId = pooledVersionIds();
  let batch: Omit<ObjectVersion, "seq" | "isLatest">[] = [];
  let count = 0;
  const flush = () => {
    engine.releaseBlobs(engine.metadata.seedVersions(batch));
    batch = [];
  };
  for (const object of objects) {
    validateKey(object.key);
    const storageClass = object.storageClass ?? "STANDARD";
    if (!STORAGE_CLASSES.has(storageClass)) throw new S3Error("InvalidStorageClass");
    const marker = object.deleteMarker ?? false;
    const now = object.lastModifiedMs ?? engine.now();
    batch.push({
      bucket: bucketName,
      key: object.key,
      versionId: bucket.versioning === "Enabled" ? nextVersionId() : NULL_VERSION_ID,
      isDeleteMarker: marker,
      size: marker ? 0 : (object.size ?? 0),
      etag: marker ? "" : (object.etag ?? zeroBytesMd5(object.size ?? 0)),
      lastModifiedMs: now,
      storageClass,
      partSizes: object.partSizes ?? null,
      checksum: null,
      encryption: marker ? null : "AES256",
      kmsKeyId: null,
      ownerId,
      lastAccessMs: marker ? null : now,
      headers: { metadata: {} },
      tags: [],
      blobId: null,
    });
    count += 1;
    if (batch.length >= batchSize) flush();
  }
  if (batch.length) flush();
  return count;
}

const STORAGE_MIX = ["STANDARD", "STANDARD", "STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"];
/** A few sizes from empty to 8 MiB: varied reports, and the ETag (MD5 of the zero bytes) of each computed once. */
const SYNTHETIC_SIZES = [
  0, 17, 512, 1024, 4096, 10_000, 65_536, 100_000, 262_144, 1_000_000, 1_048_576, 3_000_000, 8_388_608,
];

/**
 * A deterministic, realistic-looking population for seeding: folders, varied key lengths, a few unicode
 * keys, sizes from a small set (so seeded ETags stay cheap), mixed storage classes, some multipart objects.
 */
export function* syntheticObjects(options: { count: number; start?: number; prefix?: string }): Generator<SeedObject> {
  const start = options.start ?? 0;
  const prefix = options.prefix ?? "";
  for (let i = start; i < start + options.count; i++) {
    const folder = `${["data", "logs", "images", "tmp"][i % 4]}/${String(i % 97).padStart(2, "0")}`;
    const name = i % 50 === 0 ? `fichier-é-${i}.bin` : `object-${i.toString(36)}${"x".repeat(i % 7)}.dat`;
    const size = SYNTHETIC_SIZES[(i * 7919) % SYNTHETIC_SIZES.length] as number;
    yield {
      key: `${prefix}${folder}/${name}`,
      size,
      storageClass: STORAGE_MIX[i % STORAGE_MIX.length] as string,
      ...(i % 41 === 0 ? { partSizes: [size] } : {}),
    };
  }
}
