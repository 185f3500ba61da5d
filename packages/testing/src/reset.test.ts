// resetEmulator against an emulator in this process: whatever a test leaves behind (versions, delete markers, an
// unfinished upload, inventory configurations, a policy, more objects than one listing page) is gone after it.
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type InventoryEmulator, startInventoryEmulator } from "@inv-emulator/inventory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestControl } from "./control.js";
import { emulatorClient } from "./emulator-client.js";
import { resetEmulator } from "./reset.js";

let emulator: InventoryEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startInventoryEmulator({ port: 0, inMemory: true });
  s3 = emulatorClient(emulator.endpoint);
});

afterAll(async () => {
  s3?.destroy();
  await emulator?.close();
});

/** A versioned bucket with an old version, a delete marker, an open upload, an inventory configuration and a policy. */
async function fillLeftovers(): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: "source" }));
  await s3.send(new CreateBucketCommand({ Bucket: "reports" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: "source", VersioningConfiguration: { Status: "Enabled" } }));
  for (const body of ["one", "two"])
    await s3.send(new PutObjectCommand({ Bucket: "source", Key: "a.txt", Body: body }));
  await s3.send(new DeleteObjectCommand({ Bucket: "source", Key: "a.txt" }));
  await s3.send(new CreateMultipartUploadCommand({ Bucket: "source", Key: "big.bin" }));
  await s3.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: "source",
      Id: "daily",
      InventoryConfiguration: {
        Id: "daily",
        IsEnabled: true,
        IncludedObjectVersions: "All",
        Schedule: { Frequency: "Daily" },
        Destination: { S3BucketDestination: { Bucket: "arn:aws:s3:::reports", Format: "CSV" } },
      },
    }),
  );
  const statement = { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "s3:PutObject" };
  const policy = { Version: "2012-10-17", Statement: [{ ...statement, Resource: "arn:aws:s3:::reports/*" }] };
  await s3.send(new PutBucketPolicyCommand({ Bucket: "reports", Policy: JSON.stringify(policy) }));
  // More keys than one ListObjectVersions page (1,000) or one DeleteObjects request (1,000) holds.
  const seeded = await requestControl(emulator.endpoint, "POST", "seed", {
    bucket: "many",
    count: 2500,
    createBucket: true,
  });
  expect(seeded.status).toBeLessThan(300);
}

describe("resetEmulator", () => {
  it("deletes every bucket with what it holds; the same names then start empty", async () => {
    await fillLeftovers();
    await resetEmulator({ endpoint: emulator.endpoint });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);

    await s3.send(new CreateBucketCommand({ Bucket: "source" }));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: "source" }));
    expect([...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]).toEqual([]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: "source" }))).Uploads ?? []).toEqual([]);
    const configurations = await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: "source" }));
    expect(configurations.InventoryConfigurationList ?? []).toEqual([]);
  });

  it("uses the client it is given and leaves it open; an empty emulator is fine", async () => {
    await resetEmulator({ client: s3 });
    await resetEmulator({ client: s3 });
    await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
  });
});
