// Every inventory configuration and policy of seeds/000 (CoreWeave) applied as printed, with the AWS CLI, placeholders
// filled in, gives a report; a destination that does not let the inventory service write gives a failed run and no
// report; on the aws profile, a destination without a policy gives a failed run recorded with its reason. seeds/003's
// report contents are in inventory-report-seeds-aws.test.ts.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { startInventoryEmulator } from "@inv-emulator/inventory";
import { describe, expect, it } from "vitest";
import { bucketName, sdkClient } from "./support/emulator.js";
import { coreweaveUser } from "./support/identities.js";
import {
  CW_INVENTORY,
  control,
  coreweaveDestinationPolicy,
  coreweaveSourceStatement,
  putInventory,
  putPolicy,
  runNow,
  sourceAndDestination,
} from "./support/inventory-runs.js";
import { expectCliOk, policyFile, useActors } from "./support/policy-clients.js";
import { downloadReport, reportRows } from "./support/reports.js";

const ORG = "orga";
const alice = coreweaveUser("alice", ORG); // creates the buckets and manages the inventory configuration
const jean = coreweaveUser("JeanDoe", ORG); // reads the reports

// source-bucket-policy.json: [SOURCE-BUCKET], [ORG-ID] and [USER-UID] filled in.
const sourceStatement = (bucket: string) => coreweaveSourceStatement(bucket, alice.arn);
// same-bucket-policy.json.
const sameBucketStatement = (bucket: string) => ({
  Sid: "AllowPutObject",
  Effect: "Allow",
  Principal: { CW: CW_INVENTORY },
  Action: "s3:PutObject",
  Resource: [`arn:aws:s3:::${bucket}/*`],
});
// bucket-inventory-config.json, and modified-inventory-config.json (IsEnabled false).
const seedConfiguration = (dest: string, enabled = true) => ({
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: "ORC", Prefix: "inventory/" } },
  IsEnabled: enabled,
  Filter: { Prefix: "documents/" },
  Id: "my-inventory-config",
  IncludedObjectVersions: "All",
  OptionalFields: ["LastAccessedDate"],
  Schedule: { Frequency: "Daily" },
});

const $ = useActors([alice, jean], { port: 0, inMemory: true, profile: "coreweave" }, startInventoryEmulator);
const cli = (...args: string[]) => $.cli(alice, ...args);
/** put-bucket-policy and put-bucket-inventory-configuration with the CLI, documents in files as the seed does. */
const cliPolicy = async (bucket: string, policy: object) =>
  expectCliOk(await cli("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(policy)));
const cliConfiguration = async (bucket: string, configuration: object) =>
  expectCliOk(
    await cli(
      "s3api",
      "put-bucket-inventory-configuration",
      "--bucket",
      bucket,
      "--id",
      "my-inventory-config",
      "--inventory-configuration",
      policyFile(configuration),
    ),
  );

/** A versioned source with documents/ (two versions of a, b, and c deleted) and other/; returns the expected rows. */
async function source() {
  const bucket = bucketName("src");
  await $.sdk(alice).send(new CreateBucketCommand({ Bucket: bucket }));
  await $.sdk(alice).send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }),
  );
  const rows = [];
  for (const Key of ["documents/a.txt", "documents/a.txt", "documents/b.txt", "documents/c.txt", "other/z.txt"]) {
    const { VersionId } = await $.sdk(alice).send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    if (Key.startsWith("documents/")) rows.push({ Key, VersionId: VersionId as string, IsDeleteMarker: false });
  }
  const { VersionId } = await $.sdk(alice).send(new DeleteObjectCommand({ Bucket: bucket, Key: "documents/c.txt" }));
  rows.push({ Key: "documents/c.txt", VersionId: VersionId as string, IsDeleteMarker: true });
  return { bucket, rows };
}

async function destination(): Promise<string> {
  const bucket = bucketName("dest");
  await $.sdk(alice).send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** Key, VersionId and IsDeleteMarker of each row, sorted. */
const versions = (rows: Record<string, unknown>[]) =>
  rows
    .map(({ Key, VersionId, IsDeleteMarker }) => ({ Key, VersionId, IsDeleteMarker }))
    .sort((a, b) => `${a.Key}${a.VersionId}`.localeCompare(`${b.Key}${b.VersionId}`));

describe("seeds/000 (CoreWeave)", () => {
  it("separate destination: source and destination policies, bucket-inventory-config.json -> an ORC report of documents/", async () => {
    const src = await source();
    const dest = await destination();
    await cliPolicy(src.bucket, { Version: "2012-10-17", Statement: [sourceStatement(src.bucket)] });
    await cliPolicy(dest, coreweaveDestinationPolicy(dest, jean.arn));
    await cliConfiguration(src.bucket, seedConfiguration(dest));

    const run = await runNow($.emulator.endpoint, { bucket: src.bucket, id: "my-inventory-config" });
    expect(run.manifestKey).toMatch(
      new RegExp(`^inventory/${src.bucket}/my-inventory-config/\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\dZ/manifest\\.json$`),
    );
    const report = await downloadReport($.sdk(jean), run); // the reader named in the destination policy
    expect(report.manifest.fileFormat).toBe("ORC");
    expect(report.manifest.fileSchema).toBe(
      "struct<bucket:string,key:string,version_id:string,is_latest:boolean,is_delete_marker:boolean,last_accessed_date:timestamp>",
    );
    const rows = (await reportRows(report)).flat();
    expect(versions(rows)).toEqual(versions(src.rows));
    for (const row of rows) expect(row.LastAccessedDate === null).toBe(row.IsDeleteMarker);
  });

  it("modified-inventory-config.json (IsEnabled false): refused without force, a report with it; gone after delete", async () => {
    const src = await source();
    const dest = await destination();
    await cliPolicy(dest, coreweaveDestinationPolicy(dest, jean.arn));
    await cliConfiguration(src.bucket, seedConfiguration(dest, false));
    const refused = await control($.emulator.endpoint, "POST", "run", {
      bucket: src.bucket,
      id: "my-inventory-config",
    });
    expect(refused.status).toBe(409);
    const run = await runNow($.emulator.endpoint, { bucket: src.bucket, id: "my-inventory-config", force: true });
    expect((await reportRows(await downloadReport($.sdk(jean), run))).flat()).toHaveLength(src.rows.length);
    expectCliOk(
      await cli(
        "s3api",
        "delete-bucket-inventory-configuration",
        "--bucket",
        src.bucket,
        "--id",
        "my-inventory-config",
      ),
    );
    const gone = await fetch(`${$.emulator.endpoint}/_emulator/inventory/run`, {
      method: "POST",
      body: JSON.stringify({ bucket: src.bucket, id: "my-inventory-config" }),
    });
    expect([gone.status, await gone.text()]).toEqual([404, expect.stringContaining("NoSuchInventoryConfiguration")]);
  });

  it("Terraform: the allow_access policy document and the test-prefix inventory give a report", async () => {
    const src = await source();
    const dest = await destination();
    const allowAccess = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowPutObject",
          Effect: "Allow",
          Principal: { CW: [CW_INVENTORY] },
          Action: ["s3:PutObject"],
          Resource: [`arn:aws:s3:::${dest}/*`],
        },
        {
          Sid: "AllowOwnerAccess",
          Effect: "Allow",
          Principal: { CW: [alice.arn] },
          Action: ["s3:*"],
          Resource: [`arn:aws:s3:::${dest}`, `arn:aws:s3:::${dest}/*`],
        },
      ],
    };
    await putPolicy($.sdk(alice), dest, allowAccess);
    await putInventory($.sdk(alice), src.bucket, {
      id: "test-prefix",
      dest,
      format: "ORC",
      all: true,
      prefix: "inventory/",
      filterPrefix: "documents/",
    });
    const run = await runNow($.emulator.endpoint, { bucket: src.bucket, id: "test-prefix" });
    const rows = (await reportRows(await downloadReport($.sdk(alice), run))).flat();
    expect(versions(rows)).toEqual(versions(src.rows));
  });

  it("same bucket: the report never lists itself; the next run lists the first run's report objects", async () => {
    const src = await source();
    const policy = { Version: "2012-10-17", Statement: [sameBucketStatement(src.bucket), sourceStatement(src.bucket)] };
    await cliPolicy(src.bucket, policy);
    await putInventory($.sdk(alice), src.bucket, {
      id: "self",
      dest: src.bucket,
      format: "CSV",
      all: false,
      prefix: "inventory-reports/",
    });
    const first = await runNow($.emulator.endpoint, { bucket: src.bucket, id: "self", at: "2026-03-01T01:00:00Z" });
    const second = await runNow($.emulator.endpoint, { bucket: src.bucket, id: "self", at: "2026-03-02T01:00:00Z" });
    const keys = async (run: typeof first) =>
      (await reportRows(await downloadReport($.sdk(alice), run)))
        .flat()
        .map((r) => r.Key)
        .sort();
    const objects = ["documents/a.txt", "documents/b.txt", "other/z.txt"];
    expect(await keys(first)).toEqual(objects);
    const firstReport = [...first.dataKeys, first.symlinkKey, first.manifestKey, first.checksumKey] as string[];
    expect(firstReport.every((k) => k.startsWith(`inventory-reports/${src.bucket}/self/`))).toBe(true);
    expect(await keys(second)).toEqual([...objects, ...firstReport].sort());
  });

  it("a destination whose policy does not let the service write: failed run, AccessDenied, no manifest or checksum", async () => {
    const src = await source();
    const dest = await destination();
    await putPolicy($.sdk(alice), dest, coreweaveDestinationPolicy(dest, jean.arn));
    await putInventory($.sdk(alice), src.bucket, {
      id: "denied",
      dest,
      format: "CSV",
      all: true,
      prefix: "inventory/",
    });
    const readerOnly = coreweaveDestinationPolicy(dest, jean.arn);
    readerOnly.Statement.shift(); // the service statement removed after the configuration was accepted
    await putPolicy($.sdk(alice), dest, readerOnly);
    const run = await runNow($.emulator.endpoint, { bucket: src.bucket, id: "denied" });
    expect(run.status).toBe("failed");
    expect(run.reason).toMatch(/AccessDenied/);
    expect([run.manifestKey, run.checksumKey, run.dataKeys]).toEqual([undefined, undefined, []]);
    const listed = await $.sdk(jean).send(new ListObjectsV2Command({ Bucket: dest }));
    expect(listed.Contents ?? []).toEqual([]);
    const { json } = await control($.emulator.endpoint, "GET", `runs?bucket=${src.bucket}&id=denied`);
    expect(json.runs).toEqual([
      expect.objectContaining({ status: "failed", reason: expect.stringMatching(/AccessDenied/) }),
    ]);
  });
});

describe("aws profile", () => {
  it("no destination policy: the PUT succeeds, the run fails and is recorded with its reason, nothing is written", async () => {
    const aws = await startInventoryEmulator({ port: 0, inMemory: true });
    const s3 = sdkClient(aws.endpoint);
    try {
      const { source: src, dest } = await sourceAndDestination(s3, { keys: ["a"] });
      await putInventory(s3, src, { id: "no-policy", dest, format: "Parquet", all: false });
      const run = await runNow(aws.endpoint, { bucket: src, id: "no-policy" });
      expect(run).toMatchObject({ status: "failed", reason: expect.stringMatching(/AccessDenied/), dataKeys: [] });
      const { status, json } = await control(aws.endpoint, "GET", `runs?bucket=${src}&id=no-policy`);
      expect(status).toBe(200);
      expect(json.runs).toEqual([
        expect.objectContaining({ runId: run.runId, status: "failed", reason: run.reason, destinationBucket: dest }),
      ]);
      expect((await s3.send(new ListObjectsV2Command({ Bucket: dest }))).KeyCount).toBe(0);
    } finally {
      s3.destroy();
      await aws.close();
    }
  });
});
