// strictAuth: SigV4 signatures (Authorization header and presigned URLs) are verified with each identity's secret,
// unknown keys are refused, and unsigned requests are anonymous, so only a policy naming "*" lets them in.
// Signers: the JS SDK, the AWS CLI v2 (also `s3 presign`), boto3 (also generate_presigned_url) and raw HTTP.
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import {
  boto3As,
  cliAs,
  expectCliError,
  expectCliOk,
  expectDenied,
  policyFile,
  sdkAs,
} from "./support/policy-clients.js";
import { expectS3Error, rawRequest, sleep } from "./support/raw-http.js";
import { expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const alice = {
  accessKeyId: "AKIAALICE0000000001",
  secretAccessKey: "alice/Secret+Key0000000000000000000000000",
  arn: "arn:aws:iam::111122223333:user/alice",
};
const bob = {
  accessKeyId: "AKIABOB00000000000002",
  secretAccessKey: "bobSecretKey00000000000000000000000000000",
  arn: "arn:aws:iam::444455556666:user/bob",
};
const wrongSecret = { ...alice, secretAccessKey: "not-alices-secret" };
const unknownKey = { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "whatever" };

const suite = useEmulator({
  options: { strictAuth: true, identities: [alice, bob] },
  credentials: alice,
  bucket: "strict",
});

beforeAll(async () => {
  await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "hello.txt", Body: "hello" }));
  await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "private/p.txt", Body: "p" }));
});

/** Runs `fn` with a client for `who`, then destroys it. */
async function withClient<T>(who: typeof unknownKey, fn: (client: S3Client) => Promise<T>): Promise<T> {
  const client = sdkAs(suite.endpoint, who);
  try {
    return await fn(client);
  } finally {
    client.destroy();
  }
}

/** A presigned URL as a raw request: exactly the path and query the signer produced. */
const fetchUrl = (url: string, method = "GET", body?: string) => {
  const { pathname, search } = new URL(url);
  return rawRequest(suite.port, { method, path: pathname + search, ...(body === undefined ? {} : { body }) });
};
const presignGet = async (who: typeof unknownKey, key: string, seconds = 300) => {
  const result = await cliAs(suite.endpoint, who, [
    "s3",
    "presign",
    `s3://${suite.bucket}/${key}`,
    "--expires-in",
    String(seconds),
  ]);
  expectCliOk(result);
  return result.stdout.trim();
};
/** boto3 1.26 presigns S3 with SigV2 unless told otherwise; `v2` keeps that default. */
const presignPut = (who: typeof unknownKey, key: string, version: "s3v4" | "v2" = "s3v4") => {
  const client =
    version === "v2"
      ? "s3"
      : `boto3.client('s3', endpoint_url='${suite.endpoint}', config=botocore.config.Config(signature_version='s3v4'))`;
  const call = `generate_presigned_url('put_object', Params={'Bucket': '${suite.bucket}', 'Key': '${key}'}, ExpiresIn=300)`;
  return boto3As<string>(suite.endpoint, who, `import botocore.config\nprint(json.dumps(${client}.${call}))`);
};

describe("signed requests (JS SDK)", () => {
  it("the right secret works; a wrong one is SignatureDoesNotMatch; an unknown key is InvalidAccessKeyId", async () => {
    expect(
      await (
        await suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "hello.txt" }))
      ).Body?.transformToString(),
    ).toBe("hello");
    const mismatch = await withClient(wrongSecret, (c) =>
      expectSdkError(
        c.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "hello.txt" })),
        "SignatureDoesNotMatch",
        403,
      ),
    );
    expect(mismatch.message).toMatch(/signature we calculated does not match/);
    await withClient(wrongSecret, (c) =>
      expectSdkError(
        c.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "x.txt", Body: "x" })),
        "SignatureDoesNotMatch",
        403,
      ),
    );
    await withClient(unknownKey, (c) =>
      expectSdkError(c.send(new ListObjectsV2Command({ Bucket: suite.bucket })), "InvalidAccessKeyId", 403),
    );
    // A correct signature by another account is authenticated, then denied by the bucket's (absent) policy.
    await withClient(bob, (c) =>
      expectDenied(c.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "hello.txt" }))),
    );
    await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "missing.txt" })),
      "NoSuchKey",
      404,
    );
  });
});

describe("unsigned requests are anonymous", () => {
  it("AccessDenied until a policy allows Principal * to GetObject, and only that", async () => {
    const other = bucketName("anon");
    await suite.s3.send(new CreateBucketCommand({ Bucket: other }));
    await suite.s3.send(new PutObjectCommand({ Bucket: other, Key: "public/a.txt", Body: "public" }));
    await suite.s3.send(new PutObjectCommand({ Bucket: other, Key: "b.txt", Body: "b" }));
    expectS3Error(await rawRequest(suite.port, { method: "GET", path: `/${other}/public/a.txt` }), 403, "AccessDenied");
    expectS3Error(await rawRequest(suite.port, { method: "GET", path: "/" }), 403, "AccessDenied"); // ListBuckets
    const policy = {
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${other}/public/*` },
      ],
    };
    await suite.s3.send(new PutBucketPolicyCommand({ Bucket: other, Policy: JSON.stringify(policy) }));
    const got = await rawRequest(suite.port, { method: "GET", path: `/${other}/public/a.txt` });
    expect([got.status, got.text]).toEqual([200, "public"]);
    expectS3Error(await rawRequest(suite.port, { method: "GET", path: `/${other}/b.txt` }), 403, "AccessDenied");
    expectS3Error(await rawRequest(suite.port, { method: "GET", path: `/${other}?list-type=2` }), 403, "AccessDenied");
    expectS3Error(
      await rawRequest(suite.port, { method: "PUT", path: `/${other}/public/new.txt`, body: "x" }),
      403,
      "AccessDenied",
    );
    expectS3Error(await rawRequest(suite.port, { method: "DELETE", path: `/${other}?policy` }), 403, "AccessDenied");
  });

  it("a forged Authorization header is not anonymous: it is checked and refused", async () => {
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
    const authorization = `AWS4-HMAC-SHA256 Credential=${alice.accessKeyId}/${date.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
    const headers = { authorization, "x-amz-date": date, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    expectS3Error(
      await rawRequest(suite.port, { method: "GET", path: `/${suite.bucket}/hello.txt`, headers }),
      403,
      "SignatureDoesNotMatch",
    );
  });
});

describe("presigned URLs", () => {
  it("a GET presigned by the CLI works; tampered, another key, expired or wrongly signed ones do not", async () => {
    const url = await presignGet(alice, "hello.txt");
    expect(url).toContain("X-Amz-Signature=");
    const ok = await fetchUrl(url);
    expect([ok.status, ok.text]).toEqual([200, "hello"]);
    const signature = new URL(url).searchParams.get("X-Amz-Signature") as string;
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("0") ? "1" : "0"}`;
    expectS3Error(await fetchUrl(url.replace(signature, flipped)), 403, "SignatureDoesNotMatch");
    expectS3Error(await fetchUrl(url.replace("/hello.txt?", "/private/p.txt?")), 403, "SignatureDoesNotMatch");
    expectS3Error(await fetchUrl(url.replace("X-Amz-Expires=300", "X-Amz-Expires=600")), 403, "SignatureDoesNotMatch");
    expectS3Error(await fetchUrl(url, "DELETE"), 403, "SignatureDoesNotMatch");
    expectS3Error(await fetchUrl(await presignGet(wrongSecret, "hello.txt")), 403, "SignatureDoesNotMatch");
    expectS3Error(await fetchUrl(await presignGet(unknownKey, "hello.txt")), 403, "InvalidAccessKeyId");
    // Correctly signed by bob, who has no access to alice's bucket.
    expectS3Error(await fetchUrl(await presignGet(bob, "hello.txt")), 403, "AccessDenied");
    const short = await presignGet(alice, "hello.txt", 1);
    await sleep(2100);
    const expired = await fetchUrl(short);
    expectS3Error(expired, 403, "AccessDenied");
    expect(expired.text).toContain("Request has expired");
  });

  it("a PUT presigned by boto3 uploads; the same URL for another key or with a bad signature does not", async () => {
    const url = await presignPut(alice, "uploads/presigned.txt");
    const put = await fetchUrl(url, "PUT", "via presigned url");
    expect(put.status, put.text).toBe(200);
    const got = await suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "uploads/presigned.txt" }));
    expect(await got.Body?.transformToString()).toBe("via presigned url");
    expectS3Error(await fetchUrl(url.replace("presigned.txt", "other.txt"), "PUT", "x"), 403, "SignatureDoesNotMatch");
    const signature = new URL(url).searchParams.get("X-Amz-Signature") as string;
    expectS3Error(await fetchUrl(url.replace(signature, "f".repeat(64)), "PUT", "x"), 403, "SignatureDoesNotMatch");
    expectS3Error(
      await fetchUrl(await presignPut(wrongSecret, "uploads/w.txt"), "PUT", "x"),
      403,
      "SignatureDoesNotMatch",
    );
    const v2 = await fetchUrl(await presignPut(alice, "uploads/v2.txt", "v2"), "PUT", "x");
    expectS3Error(v2, 400, "InvalidRequest"); // SigV2 query authentication is not accepted
    for (const key of ["uploads/other.txt", "uploads/w.txt", "uploads/v2.txt"]) {
      await expectSdkError(suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: key })), "NoSuchKey", 404);
    }
  });
});

describe("the AWS CLI and boto3", () => {
  it("the CLI with the right keys uploads, lists and reads; with a wrong secret or unknown key it fails", async () => {
    const cli = (who: typeof unknownKey, ...args: string[]) => cliAs(suite.endpoint, who, args);
    expectCliOk(
      await cli(alice, "s3", "cp", policyFile({ hello: "cli" }).slice(7), `s3://${suite.bucket}/cli/file.json`),
    );
    expect((await cli(alice, "s3", "ls", `s3://${suite.bucket}/cli/`)).stdout).toContain("file.json");
    expect(
      JSON.parse((await cli(alice, "s3api", "head-object", "--bucket", suite.bucket, "--key", "cli/file.json")).stdout)
        .ContentLength,
    ).toBeGreaterThan(0);
    expectCliError(
      await cli(wrongSecret, "s3api", "list-objects-v2", "--bucket", suite.bucket),
      "SignatureDoesNotMatch",
    );
    expectCliError(
      await cli(
        wrongSecret,
        "s3api",
        "put-object",
        "--bucket",
        suite.bucket,
        "--key",
        "cli/x",
        "--body",
        policyFile("{}").slice(7),
      ),
      "SignatureDoesNotMatch",
    );
    expectCliError(await cli(unknownKey, "s3api", "list-objects-v2", "--bucket", suite.bucket), "InvalidAccessKeyId");
    expectCliError(await cli(bob, "s3api", "list-objects-v2", "--bucket", suite.bucket), "AccessDenied");
  });

  it("boto3 with the right keys puts, gets and lists; with a wrong secret it gets SignatureDoesNotMatch", async () => {
    const script = [
      `s3.put_object(Bucket='${suite.bucket}', Key='boto/a.txt', Body=b'from boto3')`,
      `body = s3.get_object(Bucket='${suite.bucket}', Key='boto/a.txt')['Body'].read().decode()`,
      `keys = [o['Key'] for o in s3.list_objects_v2(Bucket='${suite.bucket}', Prefix='boto/')['Contents']]`,
      "print(json.dumps([body, keys]))",
    ].join("\n");
    expect(await boto3As(suite.endpoint, alice, script)).toEqual(["from boto3", ["boto/a.txt"]]);
    const failing = [
      "out = []",
      `for call in (lambda: s3.get_object(Bucket='${suite.bucket}', Key='boto/a.txt'), lambda: s3.put_object(Bucket='${suite.bucket}', Key='boto/b.txt', Body=b'x')):`,
      "  try:\n    call(); out.append(None)",
      "  except ClientError as e: out.append([e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']])",
      "print(json.dumps(out))",
    ].join("\n");
    expect(await boto3As(suite.endpoint, wrongSecret, failing)).toEqual([
      ["SignatureDoesNotMatch", 403],
      ["SignatureDoesNotMatch", 403],
    ]);
    await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "boto/b.txt" })),
      "NoSuchKey",
      404,
    );
  });
});
