import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  DeleteObjectsCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { emulatorClient } from "./emulator-client.js";

/** DeleteObjects takes at most 1,000 keys a request (S3's limit, which the emulator keeps). */
const DELETE_BATCH = 1000;

/** Every version and delete marker of a bucket, then its unfinished multipart uploads. */
async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  // Always the first page: a page's markers name versions this loop has just deleted, which S3 refuses as markers.
  for (;;) {
    const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({
      Key: Key as string,
      VersionId,
    }));
    for (let i = 0; i < objects.length; i += DELETE_BATCH) {
      const batch = objects.slice(i, i + DELETE_BATCH);
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
    }
    if (!page.IsTruncated || objects.length === 0) break;
  }
  // One page is enough in tests; a later call sees what a truncated page left.
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const { Key, UploadId } of uploads.Uploads ?? []) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
  }
}

/**
 * Deletes every inventory configuration of a bucket. Deleting the bucket deletes them too on inv-emulator (as on
 * S3); doing it first empties a server that keeps them anywhere else as well.
 */
async function deleteInventoryConfigurations(client: S3Client, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }),
    );
    for (const { Id } of page.InventoryConfigurationList ?? []) {
      await client.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id }));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * Empties the emulator for the next test: every bucket with its objects, versions, uploads, inventory
 * configurations and policy goes, through the S3 API (so it works on any endpoint the client may delete on).
 * A bucket's run history goes with it (runs are recorded per source bucket); `freshBucketName` avoids resets.
 * @example beforeEach(() => resetEmulator());
 */
export async function resetEmulator(options: { client?: S3Client; endpoint?: string } = {}): Promise<void> {
  const client = options.client ?? emulatorClient(options.endpoint);
  try {
    const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
    for (const { Name } of Buckets) {
      const bucket = Name as string;
      await deleteInventoryConfigurations(client, bucket);
      await emptyBucket(client, bucket);
      // The bucket policy goes with the bucket.
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    }
  } finally {
    if (!options.client) client.destroy();
  }
}
