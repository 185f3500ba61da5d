// The CoreWeave bucket policies of seeds/001 (manage bucket policies), applied with
// `aws s3api put-bucket-policy --policy file://...` and checked with real identities through the AWS CLI and the JS
// SDK, both ways. On CoreWeave, once a bucket has a policy, what it does not allow is denied, the owner included,
// except that the owner may always read and delete the policy (spec/inventory.md §3; CoreWeave's evaluation order).
// seeds/000's inventory policies and organization policies are in policy-coreweave-inventory.test.ts.
import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { coreweaveUser } from "./support/identities.js";
import { expectCliError, expectCliOk, expectDenied, useActors } from "./support/policy-clients.js";

// alice creates the buckets; JeanDoe is in her organization (same account, so also an owner); carol and erin are not.
const alice = coreweaveUser("alice", "orga");
const jean = coreweaveUser("JeanDoe", "orga");
const carol = coreweaveUser("carol", "orgb");
const erin = coreweaveUser("erin", "orgc");
const KEYS = ["data/a.txt", "projects/p.txt"];

const $ = useActors([alice, jean, carol, erin], { profile: "coreweave" });

const policy =
  (...statements: ((bucket: string) => object)[]) =>
  (bucket: string) => ({ Version: "2012-10-17", Statement: statements.map((s) => s(bucket)) });
// "allows organization-wide read access" and, with a second org id, "users from other organizations".
const orgRead = (orgs: string[]) => (bucket: string) => ({
  Sid: "AllowGetObject",
  Principal: { AWS: "*" },
  Effect: "Allow",
  Action: ["s3:GetObject", "s3:ListBucket"],
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { StringEquals: { "cw:PrincipalOrgID": orgs } },
});
// "denies the user JeanDoe the ability to delete objects".
const denyJean = (bucket: string) => ({
  Sid: "statement",
  Effect: "Deny",
  Principal: { AWS: jean.arn },
  Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"],
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
});
// Terraform: jsonencode keeps the lowercase `resource`; the policy-document data source adds DenyIfPrefixEquals.
const allowAll = (bucket: string) => ({
  Sid: "allow-all",
  Effect: "Allow",
  Principal: { CW: "*" },
  Action: ["s3:*"],
  resource: [`arn:aws:s3:::${bucket}`],
});
const denyUnlessProjects = (bucket: string) => ({
  Sid: "DenyIfPrefixEquals",
  Effect: "Deny",
  Action: ["s3:ListBucket"],
  Resource: [`arn:aws:s3:::${bucket}`],
  Principal: { CW: ["*"] },
  Condition: { StringNotEquals: { "s3:prefix": "projects" } },
});

it("without a policy the creator's organization owns the bucket and another organization is denied", async () => {
  const bucket = await $.bucket(alice, KEYS);
  expect(await $.get(jean, bucket, "data/a.txt")).toBe("data/a.txt");
  expectCliOk(await $.cliList(jean, bucket));
  await expectDenied($.get(carol, bucket, "data/a.txt"));
  expectCliError(await $.cliGet(carol, bucket, "data/a.txt"), "AccessDenied");
});

describe("seeds/001 example policies", () => {
  it("organization-wide read: org A reads and lists, org B does not, nobody may write", async () => {
    const bucket = await $.bucket(alice, KEYS, policy(orgRead(["orga"])));
    expect(await $.get(jean, bucket, "data/a.txt")).toBe("data/a.txt");
    expect(await $.list(jean, bucket)).toEqual(KEYS);
    expectCliOk(await $.cliGet(jean, bucket, "data/a.txt"));
    expect(JSON.parse((await $.cliList(alice, bucket)).stdout).Contents).toHaveLength(2);
    await expectDenied($.get(carol, bucket, "data/a.txt"));
    await expectDenied($.list(carol, bucket));
    expectCliError(await $.cliGet(carol, bucket, "data/a.txt"), "AccessDenied");
    expectCliError(await $.cliList(carol, bucket), "AccessDenied");
    // The policy grants no write: on CoreWeave that denies the owner too, who may still read the policy.
    await expectDenied($.put(alice, bucket, "data/new.txt"));
    expectCliError(await $.cli(jean, "s3", "rm", `s3://${bucket}/data/a.txt`), "AccessDenied");
    const got = await $.sdk(alice).send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(got.Policy).toContain("cw:PrincipalOrgID");
  });

  it("cross-organization read: both listed organizations read, a third does not", async () => {
    const bucket = await $.bucket(alice, KEYS, policy(orgRead(["orga", "orgb"])));
    expect(await $.get(carol, bucket, "data/a.txt")).toBe("data/a.txt");
    expect(await $.list(carol, bucket)).toEqual(KEYS);
    expectCliOk(await $.cliGet(carol, bucket, "projects/p.txt"));
    expectCliOk(await $.cliList(jean, bucket));
    await expectDenied($.put(carol, bucket, "data/new.txt"));
    await expectDenied($.get(erin, bucket, "data/a.txt"));
    expectCliError(await $.cliList(erin, bucket), "AccessDenied");
  });

  it("the JeanDoe Deny alone: JeanDoe cannot delete, and as it allows nothing, nobody else may either", async () => {
    const bucket = await $.bucket(alice, KEYS, policy(denyJean));
    await expectDenied($.del(jean, bucket, "data/a.txt"));
    await expectDenied($.del(alice, bucket, "data/a.txt"));
    await expectDenied($.get(alice, bucket, "data/a.txt"));
  });

  it("the JeanDoe Deny with an allow-all: JeanDoe's deletes are AccessDenied, other users' are not", async () => {
    const everything = (b: string) => ({ ...allowAll(b), resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`] });
    const bucket = await $.bucket(alice, KEYS, policy(everything, denyJean));
    await expectDenied($.del(jean, bucket, "data/a.txt"));
    const cliDelete = await $.cli(jean, "s3api", "delete-object", "--bucket", bucket, "--key", "data/a.txt");
    expectCliError(cliDelete, "AccessDenied");
    await expectDenied($.del(jean, bucket, "data/a.txt", "null")); // s3:DeleteObjectVersion
    expect(await $.get(jean, bucket, "data/a.txt")).toBe("data/a.txt"); // only deletes are denied
    await $.put(jean, bucket, "data/new.txt");
    expectCliOk(await $.cli(alice, "s3", "rm", `s3://${bucket}/data/a.txt`));
    await $.del(carol, bucket, "projects/p.txt");
    expect(await $.list(alice, bucket)).toEqual(["data/new.txt"]);
  });

  it("Terraform allow-all (`CW: *`, lowercase `resource` of the bucket ARN only): listing for all, objects for none", async () => {
    const bucket = await $.bucket(alice, KEYS, policy(allowAll));
    expect(await $.list(carol, bucket)).toEqual(KEYS);
    expectCliOk(await $.cliList(erin, bucket));
    await expectDenied($.get(carol, bucket, "data/a.txt"));
    await expectDenied($.get(alice, bucket, "data/a.txt"));
    // `s3 cp` starts with a HeadObject: a 403 without a body, which botocore prints as Forbidden.
    const copy = await $.cli(alice, "s3", "cp", `s3://${bucket}/data/a.txt`, "-");
    expect(copy.stderr).toMatch(/\(403\).*HeadObject.*Forbidden/);
  });

  it("Terraform DenyIfPrefixEquals (StringNotEquals s3:prefix projects): only prefix=projects lists", async () => {
    const bucket = await $.bucket(alice, KEYS, policy(allowAll, denyUnlessProjects));
    expect(await $.list(carol, bucket, { Prefix: "projects" })).toEqual(["projects/p.txt"]);
    const listed = await $.cliList(alice, bucket, "--prefix", "projects");
    expect(JSON.parse(listed.stdout).Contents).toHaveLength(1);
    await expectDenied($.list(carol, bucket, { Prefix: "data" }));
    await expectDenied($.list(alice, bucket, { Prefix: "projects/" })); // StringNotEquals is exact
    await expectDenied($.list(alice, bucket)); // no s3:prefix at all: the negated condition holds
    expectCliError(await $.cliList(carol, bucket, "--prefix", "data"), "AccessDenied");
    expectCliError(await $.cliList(jean, bucket), "AccessDenied");
  });
});
