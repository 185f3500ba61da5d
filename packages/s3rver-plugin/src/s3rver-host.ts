import { PassThrough, type Readable } from "node:stream";
import {
  type InventoryConfiguration,
  type InventoryHost,
  type InventoryProfile,
  type InventoryRun,
  includesAllVersions,
} from "@inv-emulator/inventory";
import {
  canonicalIdOf,
  type PolicyRules,
  type Principal,
  S3Error,
  type SnapshotVersion,
  servicePrincipal,
} from "@inv-emulator/s3";
import { BucketPolicies } from "./bucket-policies.js";
import { compareUtf8, DocumentFiles } from "./document-files.js";
import type { S3rverStore, StoredObject } from "./s3rver-types.js";

/** A run record of the plugin: the engine's, plus what the run could not do the way Amazon S3 would. */
export type S3rverInventoryRun = InventoryRun & { warnings?: string[] };

export const ALL_VERSIONS_WARNING =
  "IncludedObjectVersions is All, but s3rver keeps no object versions: the report lists the current objects, " +
  "with empty version ids, as Amazon S3 does for a bucket that was never versioned";

/** Files the plugin keeps in each bucket's directory, beside s3rver's own `._S3rver_*` files. */
const RESOURCES = {
  configurations: "inv-emulator-inventory.json",
  runRecords: "inv-emulator-inventory-runs.json",
  policy: "inv-emulator-policy.json",
} as const;

/** Run records, each stored with the warnings of its run's configuration (manual and scheduled runs alike). */
class RunRecordFiles extends DocumentFiles {
  constructor(
    fileOf: (bucket: string) => string,
    private readonly annotate: (body: string) => string,
  ) {
    super(fileOf);
  }

  override put(bucket: string, id: string, body: string): void {
    super.put(bucket, id, this.annotate(body));
  }
}

/**
 * s3rver as an InventoryHost. The host interface is synchronous where the engine's SQLite is, and s3rver's
 * store is asynchronous, so the service refreshes what it needs before each request or run: the bucket names
 * (`refreshBuckets`) and the listing of the buckets it will report on (`prepareSnapshots`). Documents and
 * policies are small files, read and written synchronously. Objects are read and written through the store only.
 */
export class S3rverHost implements InventoryHost {
  readonly configurations: DocumentFiles;
  readonly runRecords: DocumentFiles;
  readonly policies: BucketPolicies;
  private readonly principal: Principal;
  private readonly ownerId: string;
  private buckets = new Set<string>();
  private snapshots = new Map<string, SnapshotVersion[]>();

  constructor(
    private readonly store: S3rverStore,
    readonly profile: InventoryProfile,
    policyRules: PolicyRules,
    private readonly accountId: string,
  ) {
    const fileOf = (resource: string) => (bucket: string) => store.getResourcePath(bucket, undefined, resource);
    this.configurations = new DocumentFiles(fileOf(RESOURCES.configurations));
    this.runRecords = new RunRecordFiles(fileOf(RESOURCES.runRecords), (body) => this.withWarnings(body));
    this.policies = new BucketPolicies(fileOf(RESOURCES.policy), policyRules);
    this.principal = servicePrincipal(profile.servicePrincipal.arn, profile.servicePrincipal.kind);
    this.ownerId = canonicalIdOf(accountId);
  }

  /** Reads the bucket names from s3rver's store (bucketExists, bucketNames and requireBucket answer from them). */
  async refreshBuckets(): Promise<void> {
    this.buckets = new Set((await this.store.listBuckets()).map((bucket) => bucket.name));
  }

  /** Lists these buckets through s3rver's store, for the next runs' snapshots. */
  async prepareSnapshots(buckets: Iterable<string>): Promise<void> {
    for (const bucket of new Set(buckets)) {
      if (!(await this.store.getBucket(bucket))) continue;
      const { objects } = await this.store.listObjects(bucket, {});
      // The store walks directories (`a/b` comes before `a`): sort as S3 (and the engine) does, by UTF-8 bytes.
      const sorted = objects
        .map((object) => ({ object, bytes: Buffer.from(object.key) }))
        .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
      this.snapshots.set(
        bucket,
        sorted.map(({ object }) => this.currentVersion(object)),
      );
    }
  }

  releaseSnapshots(): void {
    this.snapshots.clear();
  }

  /** The run record as stored (with its warnings), or as given when it was not stored. */
  storedRun(run: InventoryRun): S3rverInventoryRun {
    const stored = this.buckets.has(run.bucket) ? this.runRecords.get(run.bucket, run.runId) : undefined;
    return stored === undefined ? run : (JSON.parse(stored) as S3rverInventoryRun);
  }

  requireBucket(name: string): void {
    if (!this.buckets.has(name)) throw new S3Error("NoSuchBucket", { fields: { BucketName: name } });
  }

  bucketExists(name: string): boolean {
    return this.buckets.has(name);
  }

  bucketNames(): string[] {
    return [...this.buckets].sort(compareUtf8);
  }

  serviceMayWrite(bucket: string, key: string, sourceBucket: string): boolean {
    return this.policies.decidePut(this.principal, bucket, key, this.deliveryKeys(sourceBucket)).allowed;
  }

  openSnapshot() {
    const snapshots = this.snapshots;
    return {
      *versions(bucket: string, options: { prefix: string; currentOnly: boolean }): Generator<SnapshotVersion> {
        const versions = snapshots.get(bucket);
        if (!versions)
          throw new Error(`no listing of ${bucket} was prepared: run inventories through the plugin's service`);
        for (const version of versions) {
          // A fresh object per row: the report labels each row it is given.
          if (version.key.startsWith(options.prefix)) yield { ...version };
        }
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
    const decision = this.policies.decidePut(this.principal, bucket, key, this.deliveryKeys(options.sourceBucket));
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

  /** The keys AWS's documented destination policy conditions on (spec/inventory.md §2.12). */
  private deliveryKeys(sourceBucket: string): Record<string, string> {
    return {
      "aws:sourcearn": `arn:aws:s3:::${sourceBucket}`,
      "aws:sourceaccount": this.accountId,
      "s3:x-amz-acl": "bucket-owner-full-control",
    };
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

  private withWarnings(body: string): string {
    const run = JSON.parse(body) as S3rverInventoryRun;
    const stored = this.configurations.get(run.bucket, run.id);
    const configuration = stored === undefined ? undefined : (JSON.parse(stored) as InventoryConfiguration);
    if (!configuration || !includesAllVersions(configuration)) return body;
    return JSON.stringify({ ...run, warnings: [ALL_VERSIONS_WARNING] });
  }
}
