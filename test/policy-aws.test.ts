// Bucket-policy decisions on the aws profile, with two accounts: alice (111122223333) creates the buckets, bob
// (444455556666) is another account. The owner needs no policy; anyone else needs an Allow; an explicit Deny wins,
// except that the owner can always manage the policy itself. Calls go through the JS SDK, the AWS CLI and boto3;
// the inventory service principal, which cannot sign requests, is asked through the authorizer.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type RunningEmulator, servicePrincipal } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, startTestEmulator } from "./support/emulator.js";
import {
  boto3As,
  cliAs,
  expectCliError,
  expectCliOk,
  expectDenied,
  policyFile,
  sdkAs,
} from "./support/policy-clients.js";

const alice = {
  accessKeyId: "alice-key",
  secretAccessKey: "alice-secret",
  arn: "arn:aws:iam::111122223333:user/alice",
};
const bob = { accessKeyId: "bob-key", secretAccessKey: "bob-secret", arn: "arn:aws:iam::444455556666:user/bob" };
type Who = typeof alice;

let emulator: RunningEmulator;
let a: S3Client;
let b: S3Client;
const sdk = (who: Who) => (who === alice ? a : b);
const cli = (who: Who, ...args: string[]) => cliAs(emulator.endpoint, who, args);

beforeAll(async () => {
  emulator = await startTestEmulator({ identities: [alice, bob] });
  a = sdkAs(emulator.endpoint, alice);
  b = sdkAs(emulator.endpoint, bob);
});
afterAll(async () => {
  a?.destroy();
  b?.destroy();
  await emulator?.close();
});

type Statement = Record<string, unknown>;
const stmt = (effect: "Allow" | "Deny", fields: Statement): Statement => ({
  Effect: effect,
  Principal: { AWS: bob.arn },
  ...fields,
});

/** alice's bucket with a few objects (`tagged.txt` has classification=public, `secret.txt` classification=secret). */
async function bucketWith(statements?: (arn: string) => Statement[]): Promise<string> {
  const bucket = bucketName("aws");
  await a.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of ["public/a.txt", "private/b.txt", "home/bob/c.txt", "home/alice/d.txt"])
    await a.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  await a.send(
    new PutObjectCommand({ Bucket: bucket, Key: "tagged.txt", Body: "t", Tagging: "classification=public" }),
  );
  await a.send(
    new PutObjectCommand({ Bucket: bucket, Key: "secret.txt", Body: "s", Tagging: "classification=secret" }),
  );
  if (statements)
    await a.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements(`arn:aws:s3:::${bucket}`) }),
      }),
    );
  return bucket;
}

const get = (who: Who, bucket: string, key = "public/a.txt") =>
  sdk(who).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
const put = (who: Who, bucket: string, key = "public/new.txt", extra: Record<string, string> = {}) =>
  sdk(who).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x", ...extra }));
const del = (who: Who, bucket: string, key = "public/a.txt") =>
  sdk(who).send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
const list = (who: Who, bucket: string, input: { Prefix?: string; MaxKeys?: number } = {}) =>
  sdk(who).send(new ListObjectsV2Command({ Bucket: bucket, ...input }));

describe("principals, actions and resources", () => {
  it("the owner needs no policy; another account is denied until an Allow names its ARN", async () => {
    const bucket = await bucketWith();
    await put(alice, bucket);
    expectCliOk(await cli(alice, "s3", "ls", `s3://${bucket}/`));
    await expectDenied(get(bob, bucket));
    expectCliError(
      await cli(bob, "s3api", "get-object", "--bucket", bucket, "--key", "public/a.txt", "/dev/null"),
      "AccessDenied",
    );
    const script = `try:\n  s3.get_object(Bucket='${bucket}', Key='public/a.txt'); print('null')\nexcept ClientError as e: print(json.dumps(e.response['Error']['Code']))`;
    expect(await boto3As(emulator.endpoint, bob, script)).toBe("AccessDenied");
    await a.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Statement: [stmt("Allow", { Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` })],
        }),
      }),
    );
    expect(await (await get(bob, bucket)).Body?.transformToString()).toBe("public/a.txt");
    expectCliOk(await cli(bob, "s3", "cp", `s3://${bucket}/public/a.txt`, "-"));
    await expectDenied(put(bob, bucket));
    await expectDenied(list(bob, bucket));
  });

  it.each([["444455556666"], ["arn:aws:iam::444455556666:root"], ["*"]])(
    "a principal of %s names bob's account",
    async (principal) => {
      const bucket = await bucketWith((arn) => [
        { Effect: "Allow", Principal: { AWS: principal }, Action: "s3:GetObject", Resource: `${arn}/*` },
      ]);
      await get(bob, bucket);
    },
  );

  it("another account id does not name bob", async () => {
    const bucket = await bucketWith((arn) => [
      { Effect: "Allow", Principal: { AWS: "999988887777" }, Action: "s3:*", Resource: `${arn}/*` },
    ]);
    await expectDenied(get(bob, bucket));
    await get(alice, bucket); // the owner is unaffected on AWS
  });

  it("Action wildcards and NotAction", async () => {
    const wild = await bucketWith((arn) => [stmt("Allow", { Action: "s3:Get*", Resource: `${arn}/*` })]);
    await get(bob, wild);
    await b.send(new GetObjectTaggingCommand({ Bucket: wild, Key: "tagged.txt" }));
    await expectDenied(put(bob, wild));
    const not = await bucketWith((arn) => [
      stmt("Allow", { NotAction: ["s3:DeleteObject", "s3:ListBucket"], Resource: [arn, `${arn}/*`] }),
    ]);
    await put(bob, not);
    await get(bob, not);
    await expectDenied(del(bob, not));
    await expectDenied(list(bob, not));
  });

  it("Resource and NotResource wildcards", async () => {
    const res = await bucketWith((arn) => [stmt("Allow", { Action: "s3:GetObject", Resource: `${arn}/pub??c/*` })]);
    await get(bob, res);
    await expectDenied(get(bob, res, "private/b.txt"));
    const notRes = await bucketWith((arn) => [
      stmt("Allow", { Action: "s3:GetObject", NotResource: `${arn}/private/*` }),
    ]);
    await get(bob, notRes);
    await expectDenied(get(bob, notRes, "private/b.txt"));
  });

  it("NotPrincipal: a Deny for everyone but alice's account", async () => {
    const bucket = await bucketWith((arn) => [
      { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn}/*` },
      { Effect: "Deny", NotPrincipal: { AWS: "111122223333" }, Action: "s3:GetObject", Resource: `${arn}/private/*` },
    ]);
    await get(bob, bucket);
    await expectDenied(get(bob, bucket, "private/b.txt"));
    await get(alice, bucket, "private/b.txt");
  });

  it("an explicit Deny beats ownership, but the owner can still read and delete the policy", async () => {
    const bucket = await bucketWith((arn) => [
      { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`] },
    ]);
    await expectDenied(get(alice, bucket));
    expectCliError(
      await cli(alice, "s3api", "delete-object", "--bucket", bucket, "--key", "public/a.txt"),
      "AccessDenied",
    );
    expectCliOk(await cli(alice, "s3api", "get-bucket-policy", "--bucket", bucket));
    expectCliOk(await cli(alice, "s3api", "delete-bucket-policy", "--bucket", bucket));
    await get(alice, bucket);
    // Bob, not the owner, cannot replace the policy on his own behalf.
    const policy = JSON.stringify({
      Statement: [stmt("Allow", { Action: "s3:*", Resource: `arn:aws:s3:::${bucket}/*` })],
    });
    await expectDenied(b.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy })));
  });
});

describe("conditions", () => {
  const allowIf =
    (action: string, condition: object, resource = "/*") =>
    (arn: string) => [stmt("Allow", { Action: action, Resource: `${arn}${resource}`, Condition: condition })];

  it("IpAddress / NotIpAddress on aws:SourceIp", async () => {
    await get(bob, await bucketWith(allowIf("s3:GetObject", { IpAddress: { "aws:SourceIp": "127.0.0.1/32" } })));
    await expectDenied(
      get(bob, await bucketWith(allowIf("s3:GetObject", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }))),
    );
    await get(
      bob,
      await bucketWith(allowIf("s3:GetObject", { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } })),
    );
    await expectDenied(
      get(bob, await bucketWith(allowIf("s3:GetObject", { NotIpAddress: { "aws:SourceIp": "127.0.0.0/8" } }))),
    );
  });

  it("Bool aws:SecureTransport: plain HTTP is false", async () => {
    await get(bob, await bucketWith(allowIf("s3:GetObject", { Bool: { "aws:SecureTransport": "false" } })));
    await expectDenied(get(bob, await bucketWith(allowIf("s3:GetObject", { Bool: { "aws:SecureTransport": true } }))));
  });

  it("StringLike s3:prefix and NumericLessThan s3:max-keys on ListBucket", async () => {
    const prefixed = await bucketWith(allowIf("s3:ListBucket", { StringLike: { "s3:prefix": "home/bob/*" } }, ""));
    expect((await list(bob, prefixed, { Prefix: "home/bob/" })).Contents?.map((o) => o.Key)).toEqual([
      "home/bob/c.txt",
    ]);
    expectCliOk(await cli(bob, "s3api", "list-objects-v2", "--bucket", prefixed, "--prefix", "home/bob/"));
    await expectDenied(list(bob, prefixed, { Prefix: "home/alice/" }));
    expectCliError(await cli(bob, "s3api", "list-objects-v2", "--bucket", prefixed), "AccessDenied");
    const limited = await bucketWith(allowIf("s3:ListBucket", { NumericLessThan: { "s3:max-keys": "10" } }, ""));
    expect((await list(bob, limited, { MaxKeys: 2 })).KeyCount).toBe(2);
    await expectDenied(list(bob, limited, { MaxKeys: 10 }));
    await expectDenied(list(bob, limited)); // no max-keys parameter: the key is missing
  });

  it("ForAnyValue / ForAllValues on s3:RequestObjectTagKeys", async () => {
    const any = await bucketWith(
      allowIf("s3:PutObject", { "ForAnyValue:StringEquals": { "s3:RequestObjectTagKeys": ["project"] } }),
    );
    await put(bob, any, "public/n.txt", { Tagging: "owner=bob&project=x" });
    await expectDenied(put(bob, any, "public/n.txt", { Tagging: "owner=bob" }));
    await expectDenied(put(bob, any)); // ForAnyValue with no tags at all is false
    const all = await bucketWith(
      allowIf("s3:PutObject", { "ForAllValues:StringEquals": { "s3:RequestObjectTagKeys": ["project", "owner"] } }),
    );
    await put(bob, all, "public/n.txt", { Tagging: "project=x" });
    await put(bob, all); // ForAllValues over an empty set holds
    await expectDenied(put(bob, all, "public/n.txt", { Tagging: "project=x&cost=1" }));
  });

  it("...IfExists: StringEqualsIfExists on the SSE header", async () => {
    const bucket = await bucketWith(
      allowIf("s3:PutObject", { StringEqualsIfExists: { "s3:x-amz-server-side-encryption": "AES256" } }),
    );
    await put(bob, bucket);
    await put(bob, bucket, "public/n.txt", { ServerSideEncryption: "AES256" });
    await expectDenied(put(bob, bucket, "public/n.txt", { ServerSideEncryption: "aws:kms" }));
  });

  it("s3:ExistingObjectTag/<key> reads the stored object's tag", async () => {
    const bucket = await bucketWith(
      allowIf("s3:GetObject", { StringEquals: { "s3:ExistingObjectTag/classification": "public" } }),
    );
    await get(bob, bucket, "tagged.txt");
    await expectDenied(get(bob, bucket, "secret.txt"));
    await expectDenied(get(bob, bucket, "public/a.txt")); // untagged
  });

  it("s3:x-amz-acl on PutObject: bucket-owner-full-control is required", async () => {
    const bucket = await bucketWith(
      allowIf("s3:PutObject", { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } }),
    );
    const body = policyFile("{}").slice("file://".length);
    expectCliOk(
      await cli(
        bob,
        "s3api",
        "put-object",
        "--bucket",
        bucket,
        "--key",
        "public/n.txt",
        "--body",
        body,
        "--acl",
        "bucket-owner-full-control",
      ),
    );
    expectCliError(
      await cli(bob, "s3api", "put-object", "--bucket", bucket, "--key", "public/n.txt", "--body", body),
      "AccessDenied",
    );
    expectCliError(
      await cli(
        bob,
        "s3api",
        "put-object",
        "--bucket",
        bucket,
        "--key",
        "public/n.txt",
        "--body",
        body,
        "--acl",
        "public-read",
      ),
      "AccessDenied",
    );
  });

  it("the inventory destination policy (spec §2.12): Service s3.amazonaws.com with SourceArn, SourceAccount and the ACL", async () => {
    const dest = await bucketWith((arn) => [
      {
        Sid: "InventoryExamplePolicy",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: [`${arn}/*`],
        Condition: {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::src-*" },
          StringEquals: { "aws:SourceAccount": "111122223333", "s3:x-amz-acl": "bucket-owner-full-control" },
        },
      },
    ]);
    const service = servicePrincipal("s3.amazonaws.com");
    const decide = (keys: Record<string, string>, principal = service) =>
      emulator.engine.authorizer.decide({
        principal,
        action: "s3:PutObject",
        bucket: dest,
        key: "inv/src-1/data/x.csv.gz",
        keys,
      }).allowed;
    const right = {
      "aws:sourcearn": "arn:aws:s3:::src-1",
      "aws:sourceaccount": "111122223333",
      "s3:x-amz-acl": "bucket-owner-full-control",
    };
    expect(decide(right)).toBe(true);
    expect(decide({ ...right, "aws:sourceaccount": "444455556666" })).toBe(false);
    expect(decide({ ...right, "aws:sourcearn": "arn:aws:s3:::other-bucket" })).toBe(false);
    const { "s3:x-amz-acl": _acl, ...withoutAcl } = right;
    expect(decide(withoutAcl)).toBe(false);
    expect(decide(right, servicePrincipal("logging.s3.amazonaws.com"))).toBe(false);
    await expectDenied(put(bob, dest)); // a user is not the service
  });
});

describe("operations with more than one authorization", () => {
  it("DeleteObjects: a per-key Deny gives per-key AccessDenied errors, the other keys are deleted", async () => {
    const bucket = await bucketWith((arn) => [
      stmt("Allow", { Action: "s3:DeleteObject", Resource: `${arn}/*` }),
      stmt("Deny", { Action: "s3:DeleteObject", Resource: `${arn}/private/*` }),
    ]);
    const result = await b.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: "public/a.txt" }, { Key: "private/b.txt" }] },
      }),
    );
    expect(result.Deleted?.map((d) => d.Key)).toEqual(["public/a.txt"]);
    expect(result.Errors?.map((e) => [e.Key, e.Code])).toEqual([["private/b.txt", "AccessDenied"]]);
    const cliResult = await cli(
      bob,
      "s3api",
      "delete-objects",
      "--bucket",
      bucket,
      "--delete",
      JSON.stringify({ Objects: [{ Key: "home/bob/c.txt" }, { Key: "private/b.txt" }] }),
    );
    expectCliOk(cliResult);
    const parsed = JSON.parse(cliResult.stdout);
    expect(parsed.Deleted.map((d: { Key: string }) => d.Key)).toEqual(["home/bob/c.txt"]);
    expect(parsed.Errors.map((e: { Key: string; Code: string }) => [e.Key, e.Code])).toEqual([
      ["private/b.txt", "AccessDenied"],
    ]);
    expect((await list(alice, bucket)).Contents?.map((o) => o.Key)).toContain("private/b.txt");
  });

  it("CopyObject needs GetObject on the source as well as PutObject on the destination", async () => {
    const source = await bucketWith();
    const target = bucketName("bobs");
    await b.send(new CreateBucketCommand({ Bucket: target }));
    const copy = () =>
      b.send(new CopyObjectCommand({ Bucket: target, Key: "copied.txt", CopySource: `${source}/public/a.txt` }));
    await expectDenied(copy());
    expectCliError(
      await cli(
        bob,
        "s3api",
        "copy-object",
        "--bucket",
        target,
        "--key",
        "cli.txt",
        "--copy-source",
        `${source}/public/a.txt`,
      ),
      "AccessDenied",
    );
    await a.send(
      new PutBucketPolicyCommand({
        Bucket: source,
        Policy: JSON.stringify({
          Statement: [stmt("Allow", { Action: "s3:GetObject", Resource: `arn:aws:s3:::${source}/public/*` })],
        }),
      }),
    );
    await copy();
    expect(await (await get(bob, target, "copied.txt")).Body?.transformToString()).toBe("public/a.txt");
    await expectDenied(
      b.send(new CopyObjectCommand({ Bucket: target, Key: "c2.txt", CopySource: `${source}/private/b.txt` })),
    );
    // alice owns the source but not the target: copying into bob's bucket needs PutObject there.
    await expectDenied(
      a.send(new CopyObjectCommand({ Bucket: target, Key: "c3.txt", CopySource: `${source}/public/a.txt` })),
    );
  });
});
