import type { BucketDocuments } from "@inv-emulator/s3";
import type { InventoryProfile } from "./profiles.js";

/**
 * What the inventory plugin needs from the S3 server it runs in. The emulator's engine provides it
 * (engine-host.ts); another server (s3rver) can provide it too.
 */
export interface InventoryHost {
  profile: InventoryProfile;
  /** Throws NoSuchBucket when the bucket does not exist. */
  requireBucket(name: string): void;
  /** Per-bucket storage for configurations; documents go with their bucket. */
  configurations: BucketDocuments;
  /** Whether the bucket policies let the inventory service principal put `key` into `bucket`. */
  serviceMayWrite(bucket: string, key: string, sourceBucket: string): boolean;
  bucketExists(name: string): boolean;
}
