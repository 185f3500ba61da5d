import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

let emulator: RunningEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = sdkClient(emulator.endpoint);
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.close();
});

async function expectError(promise: Promise<unknown>, name: string, status: number): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected ${name}, got ${String(error)}`);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  return error;
}

async function newBucket(): Promise<string> {
  const name = bucketName("policy");
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

const readPolicy = (bucket: string) =>
  ({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadForPartner",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: ["s3:GetObject"],
        Resource: [`arn:aws:s3:::${bucket}/*`],
      },
    ],
  }) as const;

describe("Put/Get/DeleteBucketPolicy through the SDK (which sends a CRC32 with the document)", () => {
  it("NoSuchBucketPolicy before a put; put is 204; get returns the document; delete is 204", async () => {
    const bucket = await newBucket();
    const none = await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucketPolicy", 404);
    expect(none.message).toBe("The bucket policy does not exist");
    const policy = readPolicy(bucket);
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const got = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(got.Policy as string)).toEqual(policy);
    const del = await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucketPolicy", 404);
    // Deleting again is still 204.
    expect((await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  it.each([
    ["", /first byte must be '\{'/],
    ["invalid json", /first byte must be '\{'/],
    ["{}", /Missing required field Statement/],
  ])("%j is MalformedPolicy and leaves no policy", async (document, message) => {
    const bucket = await newBucket();
    const error = await expectError(
      s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: document })),
      "MalformedPolicy",
      400,
    );
    expect(error.message).toMatch(message);
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucketPolicy", 404);
  });

  it("a later put replaces the document", async () => {
    const bucket = await newBucket();
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(readPolicy(bucket)) }));
    const second = { ...readPolicy(bucket), Statement: [{ ...readPolicy(bucket).Statement[0], Sid: "Second" }] };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(second) }));
    const got = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy as string);
    expect(got.Statement[0].Sid).toBe("Second");
  });

  it("on a missing bucket every policy operation is NoSuchBucket", async () => {
    const bucket = bucketName("missing");
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucket", 404);
    await expectError(
      s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(readPolicy(bucket)) })),
      "NoSuchBucket",
      404,
    );
    await expectError(s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucket", 404);
  });
});
