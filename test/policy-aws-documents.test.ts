// Put/Get/DeleteBucketPolicy as documents (spec/clients.md §1.3 and §1.5): status codes, the stored text returned
// byte for byte, integrity headers, NoSuchBucketPolicy with its BucketName, and every kind of bad policy refused
// with MalformedPolicy and S3's message, through the JS SDK, the AWS CLI, boto3 and raw HTTP.
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { md5Base64 } from "./support/digests.js";
import { CREDENTIALS } from "./support/emulator.js";
import { boto3As, cliAs, expectCliError, expectCliOk, policyFile } from "./support/policy-clients.js";
import { expectS3Error, rawRequest } from "./support/raw-http.js";
import { createSdkBucket, expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();
const cli = (...args: string[]) => cliAs(suite.endpoint, CREDENTIALS, args);
const newBucket = () => createSdkBucket(suite.s3, "doc");

const statement = (bucket: string, fields: Record<string, unknown> = {}) => ({
  Sid: "Read",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::444455556666:user/bob" },
  Action: "s3:GetObject",
  Resource: `arn:aws:s3:::${bucket}/*`,
  ...fields,
});
const policyOf = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const getPolicy = (bucket: string) => suite.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));

describe("Put, Get and Delete", () => {
  it("204 / 200 / 204 on the wire, and 204 again when there is nothing to delete", async () => {
    const bucket = await newBucket();
    const text = policyOf(statement(bucket));
    const put = await rawRequest(suite.port, {
      method: "PUT",
      path: `/${bucket}?policy`,
      headers: { "content-md5": md5Base64(text) },
      body: text,
    });
    expect(put.status, put.text).toBe(204);
    const got = await rawRequest(suite.port, { method: "GET", path: `/${bucket}?policy` });
    expect([got.status, got.text]).toEqual([200, text]);
    for (let i = 0; i < 2; i++)
      expect((await rawRequest(suite.port, { method: "DELETE", path: `/${bucket}?policy` })).status).toBe(204);
    expectS3Error(
      await rawRequest(suite.port, { method: "GET", path: `/${bucket}?policy` }),
      404,
      "NoSuchBucketPolicy",
    );
  });

  it("no policy: 404 NoSuchBucketPolicy carrying BucketName, as the SDK, boto3 and the CLI see it", async () => {
    const bucket = await newBucket();
    const error = await expectSdkError(getPolicy(bucket), "NoSuchBucketPolicy", 404);
    expect(error.message).toBe("The bucket policy does not exist");
    expect((error as unknown as { BucketName?: string }).BucketName).toBe(bucket);
    const script = `try:\n  s3.get_bucket_policy(Bucket='${bucket}'); print('null')\nexcept ClientError as e: print(json.dumps([e.response['Error']['Code'], e.response['Error']['BucketName'], e.response['ResponseMetadata']['HTTPStatusCode']]))`;
    expect(await boto3As(suite.endpoint, CREDENTIALS, script)).toEqual(["NoSuchBucketPolicy", bucket, 404]);
    expectCliError(await cli("s3api", "get-bucket-policy", "--bucket", bucket), "NoSuchBucketPolicy");
  });

  it("Get returns the document byte for byte as put (whitespace, key order, unicode), by the CLI and the SDK", async () => {
    const bucket = await newBucket();
    const text = `{ "Statement":[ {"Resource" : "arn:aws:s3:::${bucket}/*",\n\t"Action":["s3:GetObject"], "Effect":"Allow", "Principal":"*", "Sid":"caf\u00e9 \u2713"}],\n  "Version":"2012-10-17" }\n`;
    expectCliOk(await cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(text)));
    expect((await getPolicy(bucket)).Policy).toBe(text);
    expect(JSON.parse((await cli("s3api", "get-bucket-policy", "--bucket", bucket)).stdout).Policy).toBe(text);
    const replaced = policyOf(statement(bucket, { Sid: "Second" }));
    expect(
      (await suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: replaced }))).$metadata.httpStatusCode,
    ).toBe(204);
    const raw = await rawRequest(suite.port, { method: "GET", path: `/${bucket}?policy` });
    expect(raw.body.equals(Buffer.from(replaced))).toBe(true);
    expect((await suite.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
    expectCliOk(await cli("s3api", "delete-bucket-policy", "--bucket", bucket));
  });

  it("a wrong Content-MD5 or x-amz-checksum-crc32 is BadDigest and stores nothing", async () => {
    const bucket = await newBucket();
    const text = policyOf(statement(bucket));
    const md5 = await rawRequest(suite.port, {
      method: "PUT",
      path: `/${bucket}?policy`,
      headers: { "content-md5": md5Base64("other") },
      body: text,
    });
    expectS3Error(md5, 400, "BadDigest");
    const crc = await rawRequest(suite.port, {
      method: "PUT",
      path: `/${bucket}/?policy=`,
      headers: {
        "x-amz-checksum-crc32": "AAAAAA==",
        "x-amz-sdk-checksum-algorithm": "CRC32",
        "content-type": "text/plain",
      },
      body: text,
    });
    expectS3Error(crc, 400, "BadDigest");
    await expectSdkError(getPolicy(bucket), "NoSuchBucketPolicy", 404);
  });
});

describe("bad policies are MalformedPolicy with S3's message, and leave the current policy in place", () => {
  const cases: Array<[string, (bucket: string) => string, RegExp]> = [
    ["empty", () => "", /^Policies must be valid JSON and the first byte must be '\{'$/],
    ["not JSON", () => "invalid json", /^Policies must be valid JSON and the first byte must be '\{'$/],
    [
      "truncated JSON",
      (b) => policyOf(statement(b)).slice(0, -2),
      /^Policies must be valid JSON and the first byte must be '\{'$/,
    ],
    ["a JSON array", (b) => `[${policyOf(statement(b))}]`, /first byte must be '\{'/],
    ["{}", () => "{}", /^Missing required field Statement$/],
    ["an unknown Effect", (b) => policyOf(statement(b, { Effect: "Permit" })), /^Invalid effect: Permit$/],
    ["a lowercase Effect", (b) => policyOf(statement(b, { Effect: "allow" })), /Invalid effect/],
    ["no Principal", (b) => policyOf({ ...statement(b), Principal: undefined }), /Missing required field Principal/],
    [
      "a bad principal ARN",
      (b) => policyOf(statement(b, { Principal: { AWS: "arn:aws:iam::12345:user/bob" } })),
      /^Invalid principal in policy$/,
    ],
    [
      "a principal that is not an ARN",
      (b) => policyOf(statement(b, { Principal: { AWS: "bob" } })),
      /^Invalid principal in policy$/,
    ],
    [
      "an unknown principal type",
      (b) => policyOf(statement(b, { Principal: { Robot: "*" } })),
      /^Invalid principal in policy$/,
    ],
    [
      "a bad resource ARN",
      (b) => policyOf(statement(b, { Resource: `arn:aws:s4:::${b}/*` })),
      /^Policy has invalid resource$/,
    ],
    [
      "another bucket's resource",
      (b) => policyOf(statement(b, { Resource: `arn:aws:s3:::not-${b}/*` })),
      /^Action does not apply to any resource\(s\) in statement$/,
    ],
    ["an invalid action", (b) => policyOf(statement(b, { Action: "ec2:RunInstances" })), /^Policy has invalid action$/],
    [
      "an unknown condition operator",
      (b) => policyOf(statement(b, { Condition: { StringSortOf: { "s3:prefix": "a" } } })),
      /Invalid Condition type/,
    ],
  ];

  it.each(cases)("%s, through the SDK", async (_name, make, message) => {
    const bucket = await newBucket();
    const good = policyOf(statement(bucket));
    await suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: good }));
    const error = await expectSdkError(
      suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: make(bucket) })),
      "MalformedPolicy",
      400,
    );
    expect(error.message).toMatch(message);
    expect((await getPolicy(bucket)).Policy).toBe(good);
  });

  it.each(cases.filter(([name]) => name !== "empty"))("%s, through the CLI (file://)", async (_name, make) => {
    const bucket = await newBucket();
    expectCliError(
      await cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(make(bucket))),
      "MalformedPolicy",
    );
    await expectSdkError(getPolicy(bucket), "NoSuchBucketPolicy", 404);
  });

  it("the empty document through boto3, and the JSON error message as botocore reports it", async () => {
    const bucket = await newBucket();
    const script = `try:\n  s3.put_bucket_policy(Bucket='${bucket}', Policy=''); print('null')\nexcept ClientError as e: print(json.dumps([e.response['Error']['Code'], e.response['Error']['Message']]))`;
    expect(await boto3As(suite.endpoint, CREDENTIALS, script)).toEqual([
      "MalformedPolicy",
      "Policies must be valid JSON and the first byte must be '{'",
    ]);
  });

  it("over 20 KB without whitespace is refused; a document padded with whitespace beyond 20 KB is not", async () => {
    const bucket = await newBucket();
    const many = (count: number) =>
      Array.from({ length: count }, (_, i) => statement(bucket, { Sid: `S${String(i).padStart(4, "0")}` }));
    const big = policyOf(...many(Math.ceil((21 * 1024) / JSON.stringify(many(1)[0]).length)));
    expect(Buffer.byteLength(big)).toBeGreaterThan(21 * 1024);
    const error = await expectSdkError(
      suite.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: big })),
      "MalformedPolicy",
      400,
    );
    expect(error.message).toMatch(/maximum allowed document size/);
    expectCliError(
      await cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(big)),
      "MalformedPolicy",
    );
    const padded = policyOf(...many(60)).replaceAll(",", `,\n${" ".repeat(120)}`);
    expect(Buffer.byteLength(padded)).toBeGreaterThan(21 * 1024);
    expectCliOk(await cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(padded)));
    expect((await getPolicy(bucket)).Policy).toBe(padded);
  });
});
