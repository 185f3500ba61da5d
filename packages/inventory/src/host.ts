import type { Readable } from "node:stream";
import type { BucketDocuments, SnapshotPage, SnapshotReadOptions } from "@inv-emulator/s3";
import type { InventoryProfile } from "./profiles.js";

/** How report objects are stored: SSE as the configuration's Encryption asks (AWS records it on them). */
export interface ReportObjectOptions {
  contentType: string;
  encryption?: { type: "AES256" | "aws:kms"; kmsKeyId?: string };
  /** The bucket being inventoried: aws:SourceArn / aws:SourceAccount of the write. */
  sourceBucket: string;
}

/** The condition keys of a report delivery: those AWS's documented destination policy conditions on
 * (spec/inventory.md §2.12), for the inventory of `sourceBucket`, owned by `sourceAccount`. */
export function deliveryKeys(sourceBucket: string, sourceAccount: string): Record<string, string> {
  return {
    "aws:sourcearn": `arn:aws:s3:::${sourceBucket}`,
    "aws:sourceaccount": sourceAccount,
    "s3:x-amz-acl": "bucket-owner-full-control",
  };
}

/** The versions a report lists, as they were at one instant; close it when done. */
export interface ReportSnapshot {
  /** The versions in key order, newest first, in pages (encodeSnapshotPage makes one from versions). With
   * `options.fields`, a host may leave the optional fields not listed unread (null). */
  pages(bucket: string, options: SnapshotReadOptions): Iterable<SnapshotPage>;
  close(): void;
}

/**
 * What the inventory plugin needs from the S3 server it runs in. The emulator's engine provides it
 * (engine-host.ts); another server (s3rver) can provide it too.
 */
export interface InventoryHost {
  profile: InventoryProfile;
  /** Whether the server keeps object versions. One that does not (s3rver) answers IncludedObjectVersions All with
   * its current objects, and every run of such a configuration carries ALL_VERSIONS_WARNING. */
  keepsVersions: boolean;
  /** Throws NoSuchBucket when the bucket does not exist. */
  requireBucket(name: string): void;
  bucketExists(name: string): boolean;
  bucketNames(): string[];
  /** Per-bucket storage for configurations and run records; documents go with their bucket. */
  configurations: BucketDocuments;
  runRecords: BucketDocuments;
  /** Whether the bucket policies let the inventory service principal put `key` into `bucket`. */
  serviceMayWrite(bucket: string, key: string, sourceBucket: string): boolean;
  /** A consistent view of the versions of `bucket` (the run's source) at this instant. Runs are serialized, so a
   * host whose store is asynchronous (s3rver) may read the bucket here, after the previous run's report was written. */
  openSnapshot(bucket: string): ReportSnapshot | Promise<ReportSnapshot>;
  /** Stores an object as the inventory service principal; rejects (AccessDenied) when policies refuse. */
  writeAsService(
    bucket: string,
    key: string,
    body: Readable,
    options: ReportObjectOptions,
  ): Promise<{ size: number; md5Hex: string }>;
  now(): number;
}
