import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { createSdkBucket, expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();

const newBucket = () => createSdkBucket(suite.s3, "policy");

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
    const none = await expectSdkError(
      suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
      "NoSuchBucketPolicy",
      404,
    );
    expect(none.message).toBe("The bucket policy does not exist");
    const policy = readPolicy(bucket);
    const put = await suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const got = await suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(got.Policy as string)).toEqual(policy);
    const del = await suite.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    await expectSdkError(suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucketPolicy", 404);
    // Deleting again is still 204.
    expect((await suite.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  it.each([
    ["", /first byte must be '\{'/],
    ["invalid json", /first byte must be '\{'/],
    ["{}", /Missing required field Statement/],
  ])("%j is MalformedPolicy and leaves no policy", async (document, message) => {
    const bucket = await newBucket();
    const error = await expectSdkError(
      suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: document })),
      "MalformedPolicy",
      400,
    );
    expect(error.message).toMatch(message);
    await expectSdkError(suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucketPolicy", 404);
  });

  it("a later put replaces the document", async () => {
    const bucket = await newBucket();
    await suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(readPolicy(bucket)) }));
    const second = { ...readPolicy(bucket), Statement: [{ ...readPolicy(bucket).Statement[0], Sid: "Second" }] };
    await suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(second) }));
    const got = JSON.parse((await suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy as string);
    expect(got.Statement[0].Sid).toBe("Second");
  });

  it("on a missing bucket every policy operation is NoSuchBucket", async () => {
    const bucket = bucketName("missing");
    await expectSdkError(suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucket", 404);
    await expectSdkError(
      suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(readPolicy(bucket)) })),
      "NoSuchBucket",
      404,
    );
    await expectSdkError(suite.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket })), "NoSuchBucket", 404);
  });
});
