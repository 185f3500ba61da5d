import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { Identities, type IdentityConfig } from "./auth/identity.js";
import { S3Error } from "./errors/s3-error.js";
import { findBucketNameViolation } from "./names/bucket-name.js";
import { Authorizer } from "./policy/authorizer.js";
import { parsePolicy } from "./policy/policy-document.js";
import { PROFILES, type Profile, type ProfileName } from "./profiles.js";
import type { BlobStore } from "./storage/blob-store.js";
import { FileBlobStore } from "./storage/file-blob-store.js";
import { MemoryBlobStore } from "./storage/memory-blob-store.js";
import { MetadataStore } from "./storage/metadata-store.js";
import type { BucketRecord, ObjectVersion } from "./storage/records.js";

export interface EngineOptions {
  /** Service to imitate: bucket-name rules and, for plugins, inventory differences. Default "aws". */
  profile?: ProfileName;
  /** Directory for metadata and bytes. Omitted (or `inMemory`) keeps everything in memory. */
  dataDir?: string;
  inMemory?: boolean;
  /** Region reported for buckets created without a LocationConstraint. */
  region?: string;
  /** Milliseconds since the epoch; tests and simulated schedules may replace the clock. */
  clock?: () => number;
  /** Largest single PUT body (S3: 5 GiB). */
  maxObjectBytes?: number;
  /** Largest XML/JSON request document. */
  maxDocumentBytes?: number;
  /** A request body that sends nothing for this long fails with RequestTimeout. */
  bodyIdleTimeoutMs?: number;
  /** Smallest multipart part except the last (S3: 5 MiB); tests may lower it. */
  minPartBytes?: number;
  /** Users: access keys mapped to principals. Unknown keys are the default owner unless `strictAuth`. */
  identities?: IdentityConfig[];
  /** Verify SigV4 signatures (headers and presigned URLs) and reject unknown access keys. */
  strictAuth?: boolean;
  /** CoreWeave organization access policies (JSON text or objects), evaluated before bucket policies. */
  organizationPolicies?: (string | object)[];
}

export const DEFAULT_LIMITS = {
  maxObjectBytes: 5 * 1024 ** 3,
  maxDocumentBytes: 2 * 1024 * 1024,
  bodyIdleTimeoutMs: 20_000,
  minPartBytes: 5 * 1024 * 1024,
} as const;

/** State shared by all operations: stores, profile, clock and limits. */
export class Engine {
  readonly metadata: MetadataStore;
  readonly blobs: BlobStore;
  readonly profileName: ProfileName;
  readonly profile: Profile;
  readonly region: string;
  readonly dataDir: string | undefined;
  readonly identities: Identities;
  readonly authorizer: Authorizer;
  readonly limits: { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };
  private readonly clock: () => number;

  constructor(options: EngineOptions = {}) {
    this.profileName = options.profile ?? "aws";
    this.profile = PROFILES[this.profileName];
    this.region = options.region ?? this.profile.defaultRegion;
    this.clock = options.clock ?? Date.now;
    this.limits = {
      maxObjectBytes: options.maxObjectBytes ?? DEFAULT_LIMITS.maxObjectBytes,
      maxDocumentBytes: options.maxDocumentBytes ?? DEFAULT_LIMITS.maxDocumentBytes,
      bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? DEFAULT_LIMITS.bodyIdleTimeoutMs,
      minPartBytes: options.minPartBytes ?? DEFAULT_LIMITS.minPartBytes,
    };
    if (options.dataDir && !options.inMemory) {
      this.dataDir = resolve(options.dataDir);
      mkdirSync(this.dataDir, { recursive: true });
      this.metadata = new MetadataStore(join(this.dataDir, "metadata.sqlite3"));
      this.blobs = new FileBlobStore(this.dataDir);
    } else {
      this.dataDir = undefined;
      this.metadata = new MetadataStore(":memory:");
      this.blobs = new MemoryBlobStore();
    }
    this.identities = new Identities(options.identities ?? [], options.strictAuth ?? false);
    this.authorizer = new Authorizer(this.metadata, {
      policyIsExclusive: this.profile.policyIsExclusive,
      operationAliases: this.profile.operationAliases,
      objectResourcesCoverBucket: this.profile.objectResourcesCoverBucket,
      rules: this.profile.policyRules,
      organizationPolicies: (options.organizationPolicies ?? []).map((policy) =>
        parsePolicy(typeof policy === "string" ? policy : JSON.stringify(policy), undefined, this.profile.policyRules),
      ),
    });
  }

  now(): number {
    return this.clock();
  }

  requireBucket(name: string): BucketRecord {
    const bucket = this.metadata.getBucket(name);
    if (!bucket) throw new S3Error("NoSuchBucket", { fields: { BucketName: name } });
    return bucket;
  }

  validateBucketName(name: string): void {
    const violation = findBucketNameViolation(this.profile.bucketNameRules, name);
    if (violation) throw new S3Error("InvalidBucketName", { fields: { BucketName: name } });
  }

  /** Removes blobs no metadata refers to any more; failures only cost disk space, so they are ignored. */
  releaseBlobs(blobIds: readonly (string | null | undefined)[]): void {
    for (const id of blobIds) if (id) this.blobs.remove(id).catch(() => {});
  }

  /**
   * The bytes of a stored version. Seeded objects (seedObjects with a size and no body) have no blob:
   * they read as zeros, so bulk-seeded buckets still serve GETs of the right length.
   */
  openObjectBytes(version: ObjectVersion, range?: { start: number; end: number }): Readable {
    if (version.blobId) return this.blobs.read(version.blobId, range);
    const length = range ? range.end - range.start + 1 : version.size;
    return Readable.from(zeroChunks(length));
  }

  /** Records an access (GET, PUT, UploadPart, copy source and destination) for LastAccessedDate. */
  touch(version: ObjectVersion): void {
    this.metadata.touch(version, this.now());
  }

  async close(): Promise<void> {
    await this.blobs.close();
    this.metadata.close();
  }
}

function* zeroChunks(length: number): Generator<Buffer> {
  const chunk = Buffer.alloc(Math.min(length, 64 * 1024));
  for (let left = length; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}
