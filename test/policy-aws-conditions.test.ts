// Bucket-policy conditions on the aws profile, each granting bob (account 444455556666) access to alice's bucket
// (111122223333) only when it holds, and checked both ways through the JS SDK and the AWS CLI. The inventory
// destination policy of spec/inventory.md §2.12 names the S3 service, which cannot sign requests: the authorizer
// is asked directly, with the keys the inventory run would supply.
import { servicePrincipal } from "@inv-emulator/s3";
import { describe, expect, it } from "vitest";
import { alice, bob } from "./support/identities.js";
import { awsDestinationPolicy } from "./support/inventory-runs.js";
import { expectCliError, expectCliOk, expectDenied, policyFile, useActors } from "./support/policy-clients.js";

const KEYS: (string | [string, string])[] = [
  "public/a.txt",
  "home/bob/c.txt",
  "home/alice/d.txt",
  ["tagged.txt", "classification=public"],
  ["secret.txt", "classification=secret"],
];
const A = "public/a.txt";

const $ = useActors([alice, bob]);

/** alice's bucket where bob may do `action` (on objects, or with resource "" on the bucket) if `condition` holds. */
const allowIf = (action: string, condition: object, resource = "/*") =>
  $.bucket(alice, KEYS, (b) => ({
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: bob.arn },
        Action: action,
        Resource: `arn:aws:s3:::${b}${resource}`,
        Condition: condition,
      },
    ],
  }));

it("IpAddress / NotIpAddress on aws:SourceIp (the client connects from 127.0.0.1)", async () => {
  expect(await $.get(bob, await allowIf("s3:GetObject", { IpAddress: { "aws:SourceIp": "127.0.0.1/32" } }), A)).toBe(A);
  await expectDenied($.get(bob, await allowIf("s3:GetObject", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }), A));
  await $.get(
    bob,
    await allowIf("s3:GetObject", { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"] } }),
    A,
  );
  const loopback = await allowIf("s3:GetObject", { NotIpAddress: { "aws:SourceIp": "127.0.0.0/8" } });
  await expectDenied($.get(bob, loopback, A));
  expectCliError(await $.cliGet(bob, loopback, A), "AccessDenied");
});

it("Bool aws:SecureTransport: plain HTTP is false", async () => {
  const plain = await allowIf("s3:GetObject", { Bool: { "aws:SecureTransport": "false" } });
  expect(await $.get(bob, plain, A)).toBe(A);
  expectCliOk(await $.cliGet(bob, plain, A));
  await expectDenied($.get(bob, await allowIf("s3:GetObject", { Bool: { "aws:SecureTransport": true } }), A));
});

it("StringLike s3:prefix on ListBucket", async () => {
  const bucket = await allowIf("s3:ListBucket", { StringLike: { "s3:prefix": "home/bob/*" } }, "");
  expect(await $.list(bob, bucket, { Prefix: "home/bob/" })).toEqual(["home/bob/c.txt"]);
  expectCliOk(await $.cliList(bob, bucket, "--prefix", "home/bob/"));
  await expectDenied($.list(bob, bucket, { Prefix: "home/alice/" }));
  expectCliError(await $.cliList(bob, bucket), "AccessDenied");
});

it("NumericLessThan s3:max-keys on ListBucket", async () => {
  const bucket = await allowIf("s3:ListBucket", { NumericLessThan: { "s3:max-keys": "10" } }, "");
  expect(await $.list(bob, bucket, { MaxKeys: 2 })).toHaveLength(2);
  await expectDenied($.list(bob, bucket, { MaxKeys: 10 }));
  await expectDenied($.list(bob, bucket)); // no max-keys parameter: the key is missing
  expectCliOk(await $.cli(bob, "s3api", "list-objects", "--bucket", bucket, "--max-keys", "3", "--no-paginate"));
});

it("ForAnyValue / ForAllValues on s3:RequestObjectTagKeys", async () => {
  const any = await allowIf("s3:PutObject", { "ForAnyValue:StringEquals": { "s3:RequestObjectTagKeys": ["project"] } });
  await $.put(bob, any, "n.txt", { Tagging: "owner=bob&project=x" });
  await expectDenied($.put(bob, any, "n.txt", { Tagging: "owner=bob" }));
  await expectDenied($.put(bob, any, "n.txt")); // ForAnyValue over no tags is false
  const all = await allowIf("s3:PutObject", {
    "ForAllValues:StringEquals": { "s3:RequestObjectTagKeys": ["project", "owner"] },
  });
  await $.put(bob, all, "n.txt", { Tagging: "project=x" });
  await $.put(bob, all, "n.txt"); // ForAllValues over no tags holds
  await expectDenied($.put(bob, all, "n.txt", { Tagging: "project=x&cost=1" }));
});

it("...IfExists: StringEqualsIfExists on the SSE header", async () => {
  const bucket = await allowIf("s3:PutObject", {
    StringEqualsIfExists: { "s3:x-amz-server-side-encryption": "AES256" },
  });
  await $.put(bob, bucket, "n.txt");
  await $.put(bob, bucket, "n.txt", { ServerSideEncryption: "AES256" });
  await expectDenied($.put(bob, bucket, "n.txt", { ServerSideEncryption: "aws:kms" }));
});

it("s3:ExistingObjectTag/<key> reads the stored object's tag", async () => {
  const bucket = await allowIf("s3:GetObject", { StringEquals: { "s3:ExistingObjectTag/classification": "public" } });
  expect(await $.get(bob, bucket, "tagged.txt")).toBe("tagged.txt");
  await expectDenied($.get(bob, bucket, "secret.txt"));
  await expectDenied($.get(bob, bucket, A)); // untagged
  expectCliError(await $.cliGet(bob, bucket, "secret.txt"), "AccessDenied");
});

it("s3:x-amz-acl on PutObject: the CLI's --acl bucket-owner-full-control is required", async () => {
  const bucket = await allowIf("s3:PutObject", { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } });
  const put = (...acl: string[]) =>
    $.cli(
      bob,
      "s3api",
      "put-object",
      "--bucket",
      bucket,
      "--key",
      "n.txt",
      "--body",
      policyFile("{}").slice(7),
      ...acl,
    );
  expectCliOk(await put("--acl", "bucket-owner-full-control"));
  expectCliError(await put(), "AccessDenied");
  expectCliError(await put("--acl", "public-read"), "AccessDenied");
  await $.put(bob, bucket, "n.txt", { ACL: "bucket-owner-full-control" });
  await expectDenied($.put(bob, bucket, "n.txt"));
});

describe("the inventory destination policy (spec §2.12)", () => {
  const SOURCE_ACCOUNT = "111122223333";
  it("Service s3.amazonaws.com may write for the right source bucket and account, with the ACL", async () => {
    const dest = await $.bucket(alice, KEYS, (b) => awsDestinationPolicy(b, "src-bucket", SOURCE_ACCOUNT));
    const service = servicePrincipal("s3.amazonaws.com");
    const decide = (keys: Record<string, string>, principal = service) =>
      $.emulator.engine.authorizer.decide({
        principal,
        action: "s3:PutObject",
        bucket: dest,
        key: "inv/src-bucket/data/x.csv.gz",
        keys,
      }).allowed;
    const right = {
      "aws:sourcearn": "arn:aws:s3:::src-bucket",
      "aws:sourceaccount": SOURCE_ACCOUNT,
      "s3:x-amz-acl": "bucket-owner-full-control",
    };
    expect(decide(right)).toBe(true);
    expect(decide({ ...right, "aws:sourceaccount": "444455556666" })).toBe(false);
    expect(decide({ ...right, "aws:sourcearn": "arn:aws:s3:::other-bucket" })).toBe(false);
    const { "s3:x-amz-acl": _acl, ...withoutAcl } = right;
    expect(decide(withoutAcl)).toBe(false);
    expect(decide({ ...right, "s3:x-amz-acl": "private" })).toBe(false);
    expect(decide(right, servicePrincipal("logging.s3.amazonaws.com"))).toBe(false);
    await expectDenied($.put(bob, dest, "inv/x", { ACL: "bucket-owner-full-control" })); // a user is not the service
  });
});
