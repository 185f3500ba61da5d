/**
 * JS SDK plumbing shared by the tests: S3 errors as the SDK raises them, object bodies read back, new buckets.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { bucketName } from "./emulator.js";

/** The S3 error a request fails with; fails the test if it succeeds or fails some other way. */
export async function s3Failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

/** The SDK call failed with this error name and status; returns the error for further checks. */
export async function expectSdkError(
  promise: Promise<unknown>,
  name: string,
  status: number,
): Promise<S3ServiceException> {
  const error = await s3Failure(promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  return error;
}

/** GetObject (optionally of a version), resolving with the body's bytes. */
export async function getBytes(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
}

/** GetObject (optionally of a version), resolving with the body as UTF-8 text. */
export async function getText(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<string> {
  return (await getBytes(s3, bucket, key, versionId)).toString("utf8");
}

/** Creates a bucket with a fresh name (`label-<random>`); `versioning` true means Enabled, false or absent leaves it off. */
export async function createSdkBucket(
  s3: S3Client,
  label: string,
  versioning?: boolean | "Enabled" | "Suspended",
): Promise<string> {
  const bucket = bucketName(label);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const status = versioning === true ? "Enabled" : versioning || undefined;
  if (status)
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
  return bucket;
}

/** PutObject of every key (body: the key itself unless `body` says otherwise), `concurrency` requests at a time. */
export async function putObjects(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
  { body = (key: string): string => key, concurrency = 16 } = {},
): Promise<void> {
  const queue = [...keys];
  const worker = async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift())
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body(key) }));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
