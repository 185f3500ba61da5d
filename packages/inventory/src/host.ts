import type { Readable } from "node:stream";
import type { BucketDocuments, SnapshotVersion } from "@inv-emulator/s3";
import type { InventoryProfile } from "./profiles.js";

/** How report objects are stored: SSE as the configuration's Encryption asks (AWS records it on them). */
export interface ReportObjectOptions {
  contentType: string;
  encryption?: { type: "AES256" | "aws:kms"; kmsKeyId?: string };
  /** The bucket being inventoried: aws:SourceArn / aws:SourceAccount of the write. */
  sourceBucket: string;
}

/**
 * What the inventory plugin needs from the S3 server it runs in. The emulator's engine provides it
 * (engine-host.ts); another server (s3rver) can provide it too.
 */
export interface InventoryHost {
  profile: InventoryProfile;
  /** Throws NoSuchBucket when the bucket does not exist. */
  requireBucket(name: string): void;
  bucketExists(name: string): boolean;
  bucketNames(): string[];
  /** Per-bucket storage for configurations and run records; documents go with their bucket. */
  configurations: BucketDocuments;
  runRecords: BucketDocuments;
  /** Whether the bucket policies let the inventory service principal put `key` into `bucket`. */
  serviceMayWrite(bucket: string, key: string, sourceBucket: string): boolean;
  /** A consistent view of every version at this instant; close it when done. */
  openSnapshot(): { versions(bucket: string, options: { prefix: string; currentOnly: boolean }): Iterable<SnapshotVersion>; close(): void };
  /** Stores an object as the inventory service principal; rejects (AccessDenied) when policies refuse. */
  writeAsService(bucket: string, key: string, body: Readable, options: ReportObjectOptions): Promise<{ size: number; md5Hex: string }>;
  now(): number;
}
