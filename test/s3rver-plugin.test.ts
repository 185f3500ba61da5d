// The s3rver plugin end to end: s3rver 3.7.1 with withInventory(), objects put with the AWS CLI v2 and the JS SDK (as
// the plugin's README configures it), the destination policy of spec §2.12, inventories in every AWS format run over
// the HTTP trigger, then the manifest, checksum, symlink and key layout checked and the data read back with DuckDB,
// hyparquet and the ORC decoder (test/support/reports.ts), compared with s3rver's own listing and HEAD answers.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { ALL_VERSIONS_WARNING, type InventoryRun } from "@inv-emulator/inventory";
import { S3RVER_ACCOUNT_ID } from "@inv-emulator/s3rver-plugin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { cliAs, expectCliOk } from "./support/policy-clients.js";
import {
  awsDestinationPolicy,
  control,
  downloadReport,
  putInventory,
  putPolicy,
  type Row,
  reportRows,
  runNow,
  specFileSchema,
} from "./support/reports.js";
import { type RunningS3rver, S3RVER_KEYS, s3rverClient, startS3rver } from "./support/s3rver.js";

/** In the configuration reversed: the report's columns must come in the canonical order anyway. */
const FIELDS = ["Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded", "EncryptionStatus"];
const FORMATS = ["CSV", "ORC", "Parquet"];

let s3rver: RunningS3rver;
let s3: S3Client;
let files: string;
const source = bucketName("src");
const dest = bucketName("dest");
const unpolicied = bucketName("open");
const cli = (args: string[]) => cliAs(s3rver.endpoint, S3RVER_KEYS, args);

/** Objects of every kind s3rver stores: CLI uploads (a storage class, a key with a space), SDK uploads (a stream, an
 * empty body, non-ASCII keys, a multipart upload), a "folder" key and keys whose byte order differs from s3rver's walk. */
async function populate(): Promise<void> {
  files = mkdtempSync(join(tmpdir(), "s3rver-plugin-files-"));
  const file = (name: string, body: string) => {
    writeFileSync(join(files, name), body);
    return join(files, name);
  };
  expectCliOk(await cli(["s3", "mb", `s3://${source}`]));
  expectCliOk(await cli(["s3api", "create-bucket", "--bucket", dest]));
  expectCliOk(await cli(["s3", "cp", file("plain.txt", "plain text from the CLI"), `s3://${source}/cli/plain.txt`]));
  expectCliOk(await cli(["s3", "cp", file("space.txt", "a key with a space"), `s3://${source}/cli/a file+1.txt`]));
  const cold = ["s3api", "put-object", "--bucket", source, "--key", "cli/cold.bin", "--storage-class", "GLACIER"];
  expectCliOk(await cli([...cold, "--body", file("cold.bin", "archived")]));
  await s3.send(new CreateBucketCommand({ Bucket: unpolicied }));
  const put = (Key: string, Body: string | Readable, extra = {}) =>
    s3.send(new PutObjectCommand({ Bucket: source, Key, Body, ...extra }));
  await put("sdk/z.txt", "zed");
  await put("sdk/é ünïcode.txt", "non-ASCII key");
  await put("sdk/stream.bin", Readable.from([Buffer.from("streamed "), Buffer.from("in two chunks")]), {
    ContentLength: 22,
  });
  await put("sdk/empty", "");
  await put("folder/", "");
  for (const key of ["a", "a/b", "a-c"]) await put(key, key);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: source, Key: "sdk/multi.bin" }));
  const parts = [];
  for (const [i, body] of ["x".repeat(2048), "y".repeat(100)].entries()) {
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: source, Key: "sdk/multi.bin", UploadId, PartNumber: i + 1, Body: body }),
    );
    parts.push({ ETag, PartNumber: i + 1 });
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: source,
      Key: "sdk/multi.bin",
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
}

/** What the bucket holds as report rows: ListObjectsV2 (small: no paging) for sizes, dates and ETags, HEAD for the
 * storage class (s3rver's listing always says STANDARD); in UTF-8 byte order, as S3 lists. */
async function bucketRows(bucket: string): Promise<Row[]> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect(page.IsTruncated).toBe(false);
  const rows = await Promise.all(
    (page.Contents ?? []).map(async (o): Promise<Row> => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: o.Key }));
      return {
        Bucket: bucket,
        Key: o.Key as string,
        Size: o.Size as number,
        LastModifiedDate: o.LastModified?.getTime() as number,
        ETag: (o.ETag ?? "").replace(/"/g, ""),
        StorageClass: head.StorageClass ?? "STANDARD",
        IsMultipartUploaded: false,
        EncryptionStatus: "NOT-SSE",
      };
    }),
  );
  return rows.sort((a, b) => Buffer.compare(Buffer.from(a.Key as string), Buffer.from(b.Key as string)));
}

beforeAll(async () => {
  s3rver = await startS3rver({ profile: "aws" });
  s3 = s3rverClient(s3rver.endpoint);
  await populate();
  await putPolicy(s3, dest, awsDestinationPolicy(dest, source, S3RVER_ACCOUNT_ID));
  const fields = [...FIELDS].reverse();
  for (const format of FORMATS)
    await putInventory(s3, source, { id: `${format}-Current`, dest, format, all: false, prefix: "reports", fields });
  for (const format of ["CSV", "Parquet"])
    await putInventory(s3, source, { id: `${format}-All`, dest, format, all: true, prefix: "reports", fields });
  await putInventory(s3, source, { id: "no-policy", dest: unpolicied, format: "CSV", all: false });
});
afterAll(async () => {
  s3?.destroy();
  await s3rver?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

describe("IncludedObjectVersions Current", () => {
  it.each(FORMATS)(
    "%s: the report (manifest, checksum, symlink, layout) lists every object as s3rver does",
    async (format) => {
      const id = `${format}-Current`;
      const run = await runNow(s3rver.endpoint, { bucket: source, id });
      expect(run).toMatchObject({
        status: "succeeded",
        bucket: source,
        id,
        destinationBucket: dest,
        fileFormat: format,
        trigger: "manual",
      });
      expect(run.warnings).toEqual([]);
      const stamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\dZ";
      expect(run.manifestKey).toMatch(new RegExp(`^reports/${source}/${id}/${stamp}/manifest\\.json$`));
      expect(run.symlinkKey).toMatch(
        new RegExp(`^reports/${source}/${id}/hive/dt=\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d/symlink\\.txt$`),
      );

      const report = await downloadReport(s3, run);
      expect(report.manifest).toMatchObject({
        sourceBucket: source,
        destinationBucket: `arn:aws:s3:::${dest}`,
        version: "2016-11-30",
        creationTimestamp: String(run.creationTimestamp),
        fileFormat: format,
        fileSchema: specFileSchema(format, false, FIELDS),
      });
      const rows = (await reportRows(report)).flat();
      expect(rows).toEqual(await bucketRows(source));
      expect(rows.find((row) => row.Key === "cli/cold.bin")?.StorageClass).toBe("GLACIER");
      expect(rows.find((row) => row.Key === "sdk/stream.bin")?.Size).toBe(22);
    },
  );

  it("report files are ordinary s3rver objects: listed and downloaded with the AWS CLI", async () => {
    const run = await runNow(s3rver.endpoint, { bucket: source, id: "CSV-Current" });
    const listing = await cli(["s3", "ls", "--recursive", `s3://${dest}/reports/${source}/CSV-Current/`]);
    expectCliOk(listing);
    for (const key of [run.manifestKey, run.checksumKey, run.symlinkKey, ...run.dataKeys])
      expect(listing.stdout).toContain(key);
    const manifest = await cli(["s3", "cp", `s3://${dest}/${run.manifestKey}`, "-"]);
    expectCliOk(manifest);
    expect(JSON.parse(manifest.stdout).files.map((f: { key: string }) => f.key)).toEqual(run.dataKeys);
  });
});

describe("IncludedObjectVersions All", () => {
  it.each(["CSV", "Parquet"])(
    "%s: current objects with empty version ids, and a warning in the run record",
    async (format) => {
      const id = `${format}-All`;
      const run: InventoryRun = await runNow(s3rver.endpoint, { bucket: source, id });
      expect(run.status, run.reason).toBe("succeeded");
      expect(run.warnings).toEqual([ALL_VERSIONS_WARNING]);
      const { json } = await control(s3rver.endpoint, "GET", `runs?bucket=${source}&id=${id}`);
      expect((json.runs as InventoryRun[]).find((r) => r.runId === run.runId)?.warnings).toEqual([
        ALL_VERSIONS_WARNING,
      ]);

      const report = await downloadReport(s3, run);
      expect(report.manifest.fileSchema).toBe(specFileSchema(format, true, FIELDS));
      const rows = (await reportRows(report)).flat();
      // CSV writes the null version as "", Parquet as null: both are "no version id".
      expect(rows.map((row) => ({ ...row, VersionId: row.VersionId ?? "" }))).toEqual(
        (await bucketRows(source)).map((row) => ({ ...row, VersionId: "", IsLatest: true, IsDeleteMarker: false })),
      );
    },
  );
});

describe("the destination policy decides delivery", () => {
  it("a destination without a bucket policy: the run fails with AccessDenied and nothing is written", async () => {
    const run = await runNow(s3rver.endpoint, { bucket: source, id: "no-policy" });
    expect(run).toMatchObject({ status: "failed", dataKeys: [], rowCount: 0 });
    expect(run.reason).toMatch(/^AccessDenied: .*s3\.amazonaws\.com.*the bucket has no policy/);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: unpolicied }))).KeyCount).toBe(0);
    const { json } = await control(s3rver.endpoint, "GET", `runs?bucket=${source}&id=no-policy`);
    expect(json.runs).toEqual([expect.objectContaining({ runId: run.runId, status: "failed", reason: run.reason })]);
  });

  it("a policy whose conditions name another source bucket, or that denies, refuses delivery too", async () => {
    await putPolicy(s3, unpolicied, awsDestinationPolicy(unpolicied, "some-other-bucket", S3RVER_ACCOUNT_ID));
    expect((await runNow(s3rver.endpoint, { bucket: source, id: "no-policy" })).reason).toMatch(
      /no bucket policy statement allows it/,
    );
    const allow = awsDestinationPolicy(unpolicied, source, S3RVER_ACCOUNT_ID);
    const deny = { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${unpolicied}/*` };
    await putPolicy(s3, unpolicied, { ...allow, Statement: [...allow.Statement, deny] });
    expect((await runNow(s3rver.endpoint, { bucket: source, id: "no-policy" })).reason).toMatch(/explicitly denied/);
    await putPolicy(s3, unpolicied, allow);
    const delivered = await runNow(s3rver.endpoint, { bucket: source, id: "no-policy" });
    expect(delivered.status, delivered.reason).toBe("succeeded");
    expect(delivered.rowCount).toBe((await bucketRows(source)).length);
  });
});
