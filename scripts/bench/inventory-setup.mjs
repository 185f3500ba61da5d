/**
 * The inventory bench's buckets, as a user would set them up, through the SDK: a versioned source, a destination
 * with the policy AWS documents for inventory (spec/inventory.md §2.12), and one configuration per format of
 * CONFIGURATIONS (All versions, OPTIONAL_FIELDS, under `reports/`). The objects are seeded apart (seedObjects).
 * The SDK is imported here only: a report's process should not carry it (its peak RSS is a figure).
 */
import { CONFIGURATIONS, DESTINATION, OPTIONAL_FIELDS, SOURCE } from "./inventory-data.mjs";

export async function createBenchBuckets(emulator) {
  const {
    CreateBucketCommand,
    PutBucketInventoryConfigurationCommand,
    PutBucketPolicyCommand,
    PutBucketVersioningCommand,
  } = await import("@aws-sdk/client-s3");
  const { sdkClient } = await import("./listing.mjs");
  const client = sdkClient(emulator.endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: SOURCE }));
    await client.send(new CreateBucketCommand({ Bucket: DESTINATION }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket: SOURCE, VersioningConfiguration: { Status: "Enabled" } }),
    );
    const account = emulator.engine.metadata.getBucket(SOURCE).ownerAccountId;
    const statement = {
      Sid: "InventoryExamplePolicy",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: [`arn:aws:s3:::${DESTINATION}/*`],
      Condition: {
        ArnLike: { "aws:SourceArn": `arn:aws:s3:::${SOURCE}` },
        StringEquals: { "aws:SourceAccount": account, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    };
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: DESTINATION,
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
      }),
    );
    for (const [id, format] of Object.entries(CONFIGURATIONS)) {
      const destination = {
        Bucket: `arn:aws:s3:::${DESTINATION}`,
        Format: format,
        Prefix: "reports",
        AccountId: account,
      };
      await client.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: SOURCE,
          Id: id,
          InventoryConfiguration: {
            Id: id,
            IsEnabled: true,
            Destination: { S3BucketDestination: destination },
            Schedule: { Frequency: "Daily" },
            IncludedObjectVersions: "All",
            OptionalFields: OPTIONAL_FIELDS,
          },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
