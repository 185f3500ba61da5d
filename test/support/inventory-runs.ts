// biome-ignore-all format: kept compact (policies on few lines), like reports.ts.
/**
 * Inventory runs end to end, the set-up side: configurations and policies put with the SDK, source and destination
 * buckets, and runs triggered and listed over the control API (reports.ts reads what they deliver).
 */
import {
  CreateBucketCommand,
  type InventoryConfiguration,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { InventoryRun } from "@inv-emulator/inventory";
import { expect } from "vitest";
import { bucketName } from "./emulator.js";

/** An inventory configuration: `all` is IncludedObjectVersions All (else Current); defaults enabled and Daily. */
export interface ConfigInput {
  id: string;
  dest: string;
  format: string;
  all: boolean;
  fields?: string[];
  prefix?: string;
  filterPrefix?: string;
  enabled?: boolean;
  frequency?: "Daily" | "Weekly";
  kmsKeyId?: string;
}

/** PutBucketInventoryConfiguration through the SDK. */
export async function putInventory(s3: S3Client, bucket: string, c: ConfigInput): Promise<void> {
  const destination = {
    Bucket: `arn:aws:s3:::${c.dest}`,
    Format: c.format as "CSV",
    ...(c.prefix !== undefined ? { Prefix: c.prefix } : {}),
    ...(c.kmsKeyId ? { Encryption: { SSEKMS: { KeyId: c.kmsKeyId } } } : {}),
  };
  const configuration: InventoryConfiguration = {
    Id: c.id,
    IsEnabled: c.enabled ?? true,
    Destination: { S3BucketDestination: destination },
    ...(c.filterPrefix !== undefined ? { Filter: { Prefix: c.filterPrefix } } : {}),
    Schedule: { Frequency: c.frequency ?? "Daily" },
    IncludedObjectVersions: c.all ? "All" : "Current",
    ...(c.fields ? { OptionalFields: c.fields as "Size"[] } : {}),
  };
  await s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: bucket, Id: c.id, InventoryConfiguration: configuration }));
}

/** spec §2.12: the destination policy AWS documents (000000000000 is the emulator's default account). */
export const awsDestinationPolicy = (dest: string, source: string, account = "000000000000") => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "InventoryExamplePolicy", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "s3:PutObject", Resource: [`arn:aws:s3:::${dest}/*`],
      Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${source}` }, StringEquals: { "aws:SourceAccount": account, "s3:x-amz-acl": "bucket-owner-full-control" } } },
  ],
});

export const CW_INVENTORY = "arn:aws:iam::static:role/static/inventory";
/** The statement of seeds/000 source-bucket-policy.json, [SOURCE-BUCKET] and the user's ARN ([ORG-ID], [USER-UID]) filled in. */
export const coreweaveSourceStatement = (bucket: string, userArn: string) => ({
  Sid: "AllowInventoryConfigurationAccess",
  Effect: "Allow",
  Action: ["s3:GetObject", "s3:PutObject", "s3:PutInventoryConfiguration", "s3:ListInventoryConfigurations", "s3:GetInventoryConfiguration", "s3:DeleteInventoryConfiguration"],
  Resource: [`arn:aws:s3:::${bucket}/*`],
  Principal: { CW: [userArn] },
});
/** seeds/000 destination-bucket-policy.json, [DESTINATION-BUCKET] and the reader's ARN filled in. */
export const coreweaveDestinationPolicy = (dest: string, readerArn: string) => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "AllowServiceAccountWriteReportsToDestination", Effect: "Allow", Principal: { CW: CW_INVENTORY }, Action: "s3:PutObject", Resource: [`arn:aws:s3:::${dest}/*`] },
    { Sid: "AllowOwnerAccessToDestination", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListObjects"],
      Resource: [`arn:aws:s3:::${dest}`, `arn:aws:s3:::${dest}/*`], Principal: { CW: [readerArn] } },
  ],
});

export async function putPolicy(s3: S3Client, bucket: string, policy: object): Promise<void> {
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
}

/** New source and destination buckets, the source holding `keys` (body = key); with `policy`, spec §2.12's on the destination. */
export async function sourceAndDestination(s3: S3Client, { keys = [] as readonly string[], policy = false } = {}) {
  const [source, dest] = [bucketName("src"), bucketName("dest")];
  for (const Bucket of [source, dest]) await s3.send(new CreateBucketCommand({ Bucket }));
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: source, Key, Body: Key }));
  if (policy) await putPolicy(s3, dest, awsDestinationPolicy(dest, source));
  return { source, dest };
}

/** A run record, as the control API and `emulator.inventory` return it. */
export type RunRecord = InventoryRun;

/** A control request (`path` after /_emulator/inventory/), answering status and JSON. */
export async function control(endpoint: string, method: "GET" | "POST", path: string, body?: object) {
  const init = body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {};
  const response = await fetch(`${endpoint}/_emulator/inventory/${path}`, { method, ...init });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** POST /_emulator/inventory/run; expects 200 and returns the run. */
export async function runNow(endpoint: string, body: { bucket: string; id: string; at?: string | number; force?: boolean }) {
  const { status, json } = await control(endpoint, "POST", "run", body);
  expect(status, JSON.stringify(json)).toBe(200);
  return json as unknown as RunRecord;
}

/** The destination policy a run needs: spec §2.12's on aws, seeds/000's on coreweave (with `readerArn` reading). */
export const destinationPolicyFor = (profile: "aws" | "coreweave", dest: string, source: string, readerArn: string) =>
  profile === "aws" ? awsDestinationPolicy(dest, source) : coreweaveDestinationPolicy(dest, readerArn);
