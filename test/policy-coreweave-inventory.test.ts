// seeds/000's CoreWeave inventory policies (source, destination, same bucket), applied with the CLI as printed
// (placeholders filled in) and checked with the user actions they grant through the SDK and the CLI. The inventory
// service principal (`arn:aws:iam::static:role/static/inventory`) cannot sign requests, so what it may write is asked
// of the authorizer. Then organization access policies, which CoreWeave evaluates before bucket policies.
import { servicePrincipal } from "@inv-emulator/s3";
import { describe, expect, it } from "vitest";
import { coreweaveUser } from "./support/identities.js";
import { coreweaveSourceStatement } from "./support/inventory-runs.js";
import { expectCliError, expectCliOk, expectDenied, policyFile, useActors } from "./support/policy-clients.js";

const ORG = "orga";
const alice = coreweaveUser("alice", ORG); // creates the buckets and manages the inventory configuration
const jean = coreweaveUser("JeanDoe", ORG); // reads the reports
const carol = coreweaveUser("carol", "orgb");
const USERS = [alice, jean, carol];
const KEYS = ["data/a.txt", "projects/p.txt"];
const INVENTORY = servicePrincipal("arn:aws:iam::static:role/static/inventory", "user");

const $ = useActors(USERS, { profile: "coreweave" });

const decide = (principal: typeof INVENTORY, action: string, bucket: string, key?: string) =>
  $.emulator.engine.authorizer.decide({ principal, action, bucket, ...(key === undefined ? {} : { key }) }).allowed;

// source-bucket-policy.json with [SOURCE-BUCKET], [ORG-ID] and [USER-UID] filled in.
const source = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [coreweaveSourceStatement(bucket, alice.arn)],
});
const writer = (resource: string, Sid = "AllowServiceAccountWriteReportsToDestination") => ({
  Sid,
  Effect: "Allow",
  Principal: { CW: "arn:aws:iam::static:role/static/inventory" },
  Action: "s3:PutObject",
  Resource: [resource],
});
// destination-bucket-policy.json; spec §3 also allows a prefix in the service's resource.
const destination = (prefix: string) => (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [
    writer(`arn:aws:s3:::${bucket}/${prefix}*`),
    {
      Sid: "AllowOwnerAccessToDestination",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListObjects"],
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Principal: { CW: [`arn:aws:iam::${ORG}:coreweave/JeanDoe`] },
    },
  ],
});
// same-bucket-policy.json
const sameBucket = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [writer(`arn:aws:s3:::${bucket}/*`, "AllowPutObject")],
});

describe("seeds/000 inventory policies", () => {
  it("source: the named user reads and writes objects and manages inventory; others and the service do not", async () => {
    const bucket = await $.bucket(alice, KEYS, source);
    await $.put(alice, bucket, "data/new.txt");
    expectCliOk(await $.cliGet(alice, bucket, "data/new.txt"));
    expectCliOk(await $.cli(alice, "s3", "cp", `s3://${bucket}/data/a.txt`, `s3://${bucket}/data/copy.txt`));
    await expectDenied($.list(alice, bucket)); // no listing action granted
    await expectDenied($.get(jean, bucket, "data/a.txt"));
    expectCliError(await $.cliGet(carol, bucket, "data/a.txt"), "AccessDenied");
    // Inventory configuration actions are bucket-level; CoreWeave's `SOURCE/*` is read as covering them (inferred).
    const asAlice = servicePrincipal(alice.arn, "user");
    expect(decide(asAlice, "s3:PutInventoryConfiguration", bucket)).toBe(true);
    expect(decide(asAlice, "s3:GetInventoryConfiguration", bucket)).toBe(true);
    expect(decide(asAlice, "s3:PutBucketTagging", bucket)).toBe(false);
    expect(decide(servicePrincipal(jean.arn, "user"), "s3:PutInventoryConfiguration", bucket)).toBe(false);
    expect(decide(INVENTORY, "s3:PutObject", bucket, "inventory/x")).toBe(false);
  });

  it("destination: the service writes there only; the named user may Get/Put/Delete/List; others nothing", async () => {
    const src = await $.bucket(alice, KEYS, source);
    const dest = await $.bucket(alice, KEYS, destination(""));
    expect(decide(INVENTORY, "s3:PutObject", dest, "inventory/src/data/x.csv.gz")).toBe(true);
    expect(decide(INVENTORY, "s3:GetObject", dest, "data/a.txt")).toBe(false);
    expect(decide(INVENTORY, "s3:DeleteObject", dest, "data/a.txt")).toBe(false);
    expect(decide(INVENTORY, "s3:PutObject", src, "inventory/x")).toBe(false);
    expect(await $.list(jean, dest)).toEqual(KEYS); // granted as s3:ListObjects, CoreWeave's name for listing
    expectCliOk(await $.cliList(jean, dest));
    await $.put(jean, dest, "data/new.txt");
    expectCliOk(await $.cliGet(jean, dest, "data/new.txt"));
    expectCliOk(await $.cli(jean, "s3api", "delete-object", "--bucket", dest, "--key", "data/new.txt"));
    await expectDenied($.get(alice, dest, "data/a.txt")); // the creator is not named
    await expectDenied($.list(carol, dest));
    expectCliError(await $.cli(carol, "s3", "ls", `s3://${dest}/`), "AccessDenied");
  });

  it("destination limited to a prefix: the service writes under it only", async () => {
    const dest = await $.bucket(alice, KEYS, destination("inventory-reports/"));
    expect(decide(INVENTORY, "s3:PutObject", dest, "inventory-reports/src/manifest.json")).toBe(true);
    expect(decide(INVENTORY, "s3:PutObject", dest, "data/manifest.json")).toBe(false);
  });

  it("same bucket: the service may write; the creator keeps only policy management until it deletes the policy", async () => {
    const bucket = await $.bucket(alice, KEYS, sameBucket);
    expect(decide(INVENTORY, "s3:PutObject", bucket, "inventory-reports/x")).toBe(true);
    const other = servicePrincipal("arn:aws:iam::static:role/static/other", "user");
    expect(decide(other, "s3:PutObject", bucket, "inventory-reports/x")).toBe(false);
    await expectDenied($.get(alice, bucket, "data/a.txt"));
    expectCliOk(await $.cli(alice, "s3api", "get-bucket-policy", "--bucket", bucket));
    expectCliOk(await $.cli(alice, "s3api", "delete-bucket-policy", "--bucket", bucket));
    expect(await $.get(alice, bucket, "data/a.txt")).toBe("data/a.txt");
    expect(decide(INVENTORY, "s3:PutObject", bucket, "inventory-reports/x")).toBe(false);
  });
});

describe("organization access policies", () => {
  const statement = (fields: object) => ({
    Version: "2012-10-17",
    Statement: [{ Principal: { CW: "*" }, ...fields }],
  });
  const o = useActors(USERS, {
    profile: "coreweave",
    organizationPolicies: [
      statement({
        Effect: "Allow",
        Action: "s3:*",
        Resource: "*",
        Condition: { StringEquals: { "cw:PrincipalOrgID": ORG } },
      }),
      JSON.stringify(statement({ Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/secret/*" })),
    ],
  });

  it("without an allowing org policy a user is denied even where the bucket allows; an org Deny beats a bucket Allow", async () => {
    const bucket = await o.bucket(alice, ["public/p.txt", "secret/s.txt"]);
    await expectDenied(o.get(alice, bucket, "secret/s.txt")); // the org Deny binds the owner too
    const crossOrg = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { CW: "*" },
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { StringEquals: { "cw:PrincipalOrgID": [ORG, "orgb"] } },
        },
      ],
    };
    expectCliOk(await o.cli(alice, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(crossOrg)));
    expect(await o.get(jean, bucket, "public/p.txt")).toBe("public/p.txt");
    await expectDenied(o.get(jean, bucket, "secret/s.txt"));
    expectCliError(await o.cliGet(alice, bucket, "secret/s.txt"), "AccessDenied");
    // carol (org B) is allowed by the bucket policy but by no organization policy.
    await expectDenied(o.get(carol, bucket, "public/p.txt"));
    expectCliError(await o.cliList(carol, bucket), "AccessDenied");
  });
});
