import { readdirSync, statSync } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import { deliveryKeys, type InventoryHost, type InventoryProfile, type ReportSnapshot } from "@inv-emulator/inventory";
import {
  BUCKET_NAME_RULES,
  canonicalIdOf,
  encodeSnapshotPage,
  findBucketNameViolation,
  type PolicyRules,
  type Principal,
  S3Error,
  SNAPSHOT_PAGE_ROWS,
  type SnapshotPage,
  type SnapshotVersion,
  servicePrincipal,
} from "@inv-emulator/s3";
import { BucketPolicies } from "./bucket-policies.js";
import { compareUtf8, DocumentFiles } from "./document-files.js";
import type { S3rverStore, StoredObject } from "./s3rver-types.js";

/** Files the plugin keeps in each bucket's directory, beside s3rver's own `._S3rver_*` files. */
const RESOURCES = {
  configurations: "inv-emulator-inventory.json",
  runRecords: "inv-emulator-inventory-runs.json",
  policy: "inv-emulator-policy.json",
} as const;

/**
 * s3rver as an InventoryHost. Objects are read and written through s3rver's store only; the store is
 * asynchronous, so a run lists its source bucket when it opens its snapshot. Bucket existence is answered
 * synchronously, as the host interface asks, by a stat of the store's bucket directory (what the store's own
 * getBucket does). Configurations, run records and policies are small files in each bucket's directory.
 */
export class S3rverHost implements InventoryHost {
  /** s3rver keeps one copy per key: a configuration asking for All gets the current objects and a warning. */
  readonly keepsVersions = false;
  readonly configurations: DocumentFiles;
  readonly runRecords: DocumentFiles;
  readonly policies: BucketPolicies;
  private readonly principal: Principal;
  private readonly ownerId: string;

  constructor(
    private readonly store: S3rverStore,
    readonly profile: InventoryProfile,
    policyRules: PolicyRules,
    private readonly accountId: string,
  ) {
    const fileOf = (resource: string) => (bucket: string) => store.getResourcePath(bucket, undefined, resource);
    this.configurations = new DocumentFiles(fileOf(RESOURCES.configurations));
    this.runRecords = new DocumentFiles(fileOf(RESOURCES.runRecords));
    this.policies = new BucketPolicies(fileOf(RESOURCES.policy), policyRules);
    this.principal = servicePrincipal(profile.servicePrincipal.arn, profile.servicePrincipal.kind);
    this.ownerId = canonicalIdOf(accountId);
  }

  requireBucket(name: string): void {
    if (!this.bucketExists(name)) throw new S3Error("NoSuchBucket", { fields: { BucketName: name } });
  }

  bucketExists(name: string): boolean {
    // Only a bucket name can name a bucket: `..` or `a/../b` would otherwise stat (and then write) outside
    // s3rver's directory. s3rver creates only names that pass S3's rules.
    if (findBucketNameViolation(BUCKET_NAME_RULES.aws, name) !== undefined) return false;
    return statSync(this.store.getBucketPath(name), { throwIfNoEntry: false })?.isDirectory() ?? false;
  }

  bucketNames(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.store.rootDirectory);
    } catch (error) {
      // No bucket was ever created: s3rver makes its directory with the first one.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names.filter((name) => this.bucketExists(name)).sort(compareUtf8);
  }

  serviceMayWrite(bucket: string, key: string, sourceBucket: string): boolean {
    return this.policies.decidePut(this.principal, bucket, key, deliveryKeys(sourceBucket, this.accountId)).allowed;
  }

  /** Lists the bucket through s3rver's store, sorted as S3 (and the engine) sorts keys: by their UTF-8 bytes. */
  async openSnapshot(bucket: string): Promise<ReportSnapshot> {
    const { objects } = (await this.store.getBucket(bucket))
      ? await this.store.listObjects(bucket, {})
      : { objects: [] };
    // The store walks directories, so `a/b` comes before `a`.
    const listed = objects
      .map((object) => ({ object, bytes: Buffer.from(object.key) }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
      .map(({ object }) => object);
    const currentVersion = (object: StoredObject) => this.currentVersion(object);
    return {
      *pages(_bucket: string, options: { prefix: string }): Generator<SnapshotPage> {
        const matching = listed.filter((object) => object.key.startsWith(options.prefix));
        for (let start = 0; start < matching.length; start += SNAPSHOT_PAGE_ROWS)
          yield encodeSnapshotPage(matching.slice(start, start + SNAPSHOT_PAGE_ROWS).map(currentVersion));
      },
      close() {},
    };
  }

  async writeAsService(
    bucket: string,
    key: string,
    body: Readable,
    options: { contentType: string; sourceBucket: string },
  ) {
    if (!(await this.store.getBucket(bucket))) {
      body.destroy();
      throw new S3Error("NoSuchBucket", { fields: { BucketName: bucket } });
    }
    const decision = this.policies.decidePut(
      this.principal,
      bucket,
      key,
      deliveryKeys(options.sourceBucket, this.accountId),
    );
    if (!decision.allowed) {
      body.destroy();
      throw new S3Error("AccessDenied", {
        message: `Access Denied: ${this.principal.arn} may not s3:PutObject ${bucket}/${key} (${decision.reason})`,
      });
    }
    // s3rver's putObject pipes the content without listening for its errors: carry it through a stream that
    // always ends, and remove the truncated object if the report failed while being written.
    const carrier = new PassThrough();
    let failure: unknown;
    body.once("error", (error) => {
      failure = error;
      carrier.end();
    });
    body.pipe(carrier);
    const stored = await this.store.putObject({
      bucket,
      key,
      content: carrier,
      metadata: { "content-type": options.contentType },
    });
    if (failure !== undefined) {
      await this.store.deleteObject(bucket, key);
      throw failure;
    }
    return { size: stored.size, md5Hex: stored.md5 };
  }

  now(): number {
    return Date.now();
  }

  /** What a report row needs, from s3rver's metadata: s3rver keeps one (null) version per key. */
  private currentVersion(object: StoredObject): SnapshotVersion {
    const { metadata } = object;
    const storageClass = metadata["x-amz-storage-class"];
    return {
      key: object.key,
      versionId: "null",
      isLatest: true,
      isDeleteMarker: false,
      size: Number(metadata["content-length"]),
      etag: String(metadata.etag ?? "").replace(/"/g, ""),
      // s3rver's last-modified is the file's mtime as an HTTP date: whole seconds.
      lastModifiedMs: Date.parse(String(metadata["last-modified"])),
      storageClass: typeof storageClass === "string" && storageClass ? storageClass : "STANDARD",
      isMultipart: false,
      checksumAlgorithm: null,
      encryption: null,
      kmsKeyId: null,
      ownerId: this.ownerId,
      lastAccessMs: null,
    };
  }
}
