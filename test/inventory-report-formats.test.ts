// Inventory reports end to end, in every format of both profiles and both version modes: a versioned bucket set up
// with the SDK (null versions from before versioning, overwrites, delete markers, a multipart object, storage classes,
// SSE-KMS), the destination policy of spec §2.12 (AWS) or seeds/000 (CoreWeave), a run triggered over HTTP, then the
// manifest, checksum, symlink and key layout checked, and the data read back with DuckDB, hyparquet and the ORC decoder
// and compared with ListObjectVersions / ListObjectsV2.
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectVersion,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { AWS_OPTIONAL_FIELDS, COREWEAVE_OPTIONAL_FIELDS, startInventoryEmulator } from "@inv-emulator/inventory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient } from "./support/emulator.js";
import { coreweaveUser } from "./support/identities.js";
import { destinationPolicyFor, putInventory, putPolicy, runNow } from "./support/inventory-runs.js";
import { downloadReport, EXTENSIONS, type Row, reportRows, specFileSchema } from "./support/reports.js";

const READER = coreweaveUser("reader", "orga"); // reads the reports on coreweave, as the destination policy says
const MULTIPART = "big/multi.bin";
const KMS_KEY = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** Objects of every kind a report must describe; `read` is GET after the clock moved an hour (LastAccessedDate). */
async function populate(s3: S3Client, source: string, advance: () => void) {
  await s3.send(new CreateBucketCommand({ Bucket: source }));
  const put = (Key: string, Body: string, extra = {}) =>
    s3.send(new PutObjectCommand({ Bucket: source, Key, Body, ...extra }));
  for (const key of ["null/keep.txt", "null/overwritten.txt", "null/deleted.txt"])
    await put(key, `before versioning ${key}`);
  await put("folder/", "");
  await s3.send(new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: "Enabled" } }));
  await put("docs/a file+1.txt", "version one");
  await put("docs/a file+1.txt", "version two, longer");
  await put("null/overwritten.txt", "after versioning");
  await s3.send(new DeleteObjectCommand({ Bucket: source, Key: "null/deleted.txt" }));
  await put("gone.txt", "soon deleted");
  await s3.send(new DeleteObjectCommand({ Bucket: source, Key: "gone.txt" }));
  await put("cold/ia.bin", "infrequent", { StorageClass: "STANDARD_IA" });
  await put("cold/glacier.bin", "archived", { StorageClass: "GLACIER" });
  await put("tier/it.bin", "tiered", { StorageClass: "INTELLIGENT_TIERING" });
  await put("kms.txt", "secret", { ServerSideEncryption: "aws:kms", SSEKMSKeyId: KMS_KEY });
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: source, Key: MULTIPART }));
  const parts = [];
  for (const [i, body] of ["a".repeat(2048), "b".repeat(100)].entries()) {
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: source, Key: MULTIPART, UploadId, PartNumber: i + 1, Body: body }),
    );
    parts.push({ ETag, PartNumber: i + 1 });
  }
  await s3.send(
    new CompleteMultipartUploadCommand({ Bucket: source, Key: MULTIPART, UploadId, MultipartUpload: { Parts: parts } }),
  );
  advance();
  await (await s3.send(new GetObjectCommand({ Bucket: source, Key: "docs/a file+1.txt" }))).Body?.transformToString();
}

async function setUp(profile: "aws" | "coreweave") {
  let offset = 0;
  const emulator = await startInventoryEmulator({
    port: 0,
    inMemory: true,
    profile,
    minPartBytes: 1024,
    clock: () => Date.now() + offset,
    ...(profile === "coreweave" ? { identities: [READER] } : {}),
  });
  const s3 = sdkClient(emulator.endpoint, profile === "coreweave" ? { credentials: READER } : {});
  const source = bucketName("src");
  const dest = bucketName("dest");
  await populate(s3, source, () => (offset += 3_600_000));
  await s3.send(new CreateBucketCommand({ Bucket: dest }));
  await putPolicy(s3, dest, destinationPolicyFor(profile, dest, source, READER.arn));
  const formats = profile === "aws" ? ["CSV", "ORC", "Parquet"] : ["CSV", "TSV", "JSON", "ORC", "Parquet"];
  const fields = profile === "aws" ? AWS_OPTIONAL_FIELDS : COREWEAVE_OPTIONAL_FIELDS;
  const prefix = profile === "aws" ? "reports" : "inventory/";
  for (const format of formats) {
    for (const all of [true, false]) {
      // Fields in reverse: the report's column order must not follow the configuration's.
      await putInventory(s3, source, {
        id: `${format}-${all ? "All" : "Current"}`,
        dest,
        format,
        all,
        prefix,
        fields: [...fields].reverse(),
      });
    }
  }
  return {
    emulator,
    s3,
    source,
    dest,
    prefix: prefix.replace(/\/$/, ""),
    fields,
    accessedAtLeast: Date.now() + offset - 60_000,
  };
}

/** What the (small) bucket holds, as report rows of the listable columns: ListObjectVersions (All) or ListObjectsV2. */
async function bucketRows(s3: S3Client, bucket: string, all: boolean): Promise<Row[]> {
  const row = (o: ObjectVersion, dm: boolean): Row => ({
    ...{
      Bucket: bucket,
      Key: o.Key as string,
      LastModifiedDate: o.LastModified?.getTime() as number,
      ObjectOwner: o.Owner?.ID as string,
    },
    ...(dm
      ? { Size: null, ETag: null, StorageClass: null, ChecksumAlgorithm: null }
      : {
          Size: o.Size as number,
          ETag: (o.ETag ?? "").replace(/"/g, ""),
          StorageClass: o.StorageClass as string,
          ChecksumAlgorithm: o.ChecksumAlgorithm?.[0] ?? null,
        }),
  });
  if (!all) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true }));
    return (page.Contents ?? []).map((o) => row(o as ObjectVersion, false));
  }
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  expect(page.IsTruncated).toBe(false);
  const version = (v: ObjectVersion, dm: boolean) => ({
    VersionId: v.VersionId === "null" ? "" : v.VersionId,
    IsLatest: v.IsLatest,
    IsDeleteMarker: dm,
  });
  const versions = (page.Versions ?? []).map((v) => ({ ...row(v, false), ...version(v, false) }));
  return [...versions, ...(page.DeleteMarkers ?? []).map((d) => ({ ...row(d, true), ...version(d, true) }))] as Row[];
}

/** Rows in a stable order for comparing sets; VersionId null and "" are the same (null version). */
function canonical(rows: Row[], columns: readonly string[]): Row[] {
  return rows
    .map((r) => Object.fromEntries(columns.map((c) => [c, c === "VersionId" ? (r[c] ?? "") : (r[c] ?? null)])))
    .sort((a, b) => `${a.Key}\u0000${a.VersionId ?? ""}`.localeCompare(`${b.Key}\u0000${b.VersionId ?? ""}`));
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
const pad = (n: number) => String(n).padStart(2, "0");

for (const profile of ["aws", "coreweave"] as const) {
  describe(`${profile} profile`, () => {
    let $: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      $ = await setUp(profile);
    });
    afterAll(async () => {
      $?.s3.destroy();
      await $?.emulator.close();
    });

    const formats = profile === "aws" ? ["CSV", "ORC", "Parquet"] : ["CSV", "TSV", "JSON", "ORC", "Parquet"];
    for (const format of formats) {
      for (const all of [true, false]) {
        const id = `${format}-${all ? "All" : "Current"}`;
        it(`${id}: manifest, checksum, symlink, layout and rows equal the bucket's listing`, async () => {
          const run = await runNow($.emulator.endpoint, { bucket: $.source, id });
          expect(run).toMatchObject({
            status: "succeeded",
            bucket: $.source,
            id,
            destinationBucket: $.dest,
            fileFormat: format,
            trigger: "manual",
          });

          // Key layout (spec §2.1): one instant for the manifest folder, the dt= folder and creationTimestamp.
          const base = `${$.prefix}/${$.source}/${id}`;
          const at = new Date(run.creationTimestamp);
          expect(run.creationTimestamp % 60_000).toBe(0);
          expect(run.at).toBe(at.toISOString());
          const day = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
          const folder = `${base}/${day}T${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}Z`;
          expect(run.manifestKey).toBe(`${folder}/manifest.json`);
          expect(run.checksumKey).toBe(`${folder}/manifest.checksum`);
          expect(run.symlinkKey).toBe(
            `${base}/hive/dt=${day}-${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}/symlink.txt`,
          );
          expect(run.dataKeys).toHaveLength(1);
          expect(run.dataKeys[0]).toMatch(
            new RegExp(`^${base.replace(/\./g, "\\.")}/data/${UUID}\\.${EXTENSIONS[format]?.replace(".", "\\.")}$`),
          );

          const report = await downloadReport($.s3, run);
          expect(report.manifest).toEqual({
            sourceBucket: $.source,
            destinationBucket: `arn:aws:s3:::${$.dest}`,
            version: "2016-11-30",
            creationTimestamp: String(run.creationTimestamp),
            fileFormat: format,
            fileSchema: specFileSchema(format, all, $.fields),
            files: [
              { key: run.dataKeys[0], size: expect.any(Number), MD5checksum: expect.stringMatching(/^[0-9a-f]{32}$/) },
            ],
          });
          expect(report.manifestText).toMatch(/^\{\n {2}"sourceBucket" : "/); // Jackson style (spec §2.3)

          const [rows = []] = await reportRows(report);
          const expected = await bucketRows($.s3, $.source, all);
          const listed = [
            "Bucket",
            "Key",
            ...(all ? ["VersionId", "IsLatest", "IsDeleteMarker"] : []),
            "Size",
            "LastModifiedDate",
            "ETag",
            "StorageClass",
            "ChecksumAlgorithm",
          ];
          if (profile === "aws") listed.push("ObjectOwner");
          expect(canonical(rows, listed)).toEqual(canonical(expected, listed));
          expect(rows.length).toBe(all ? 15 : 9);
          if (all)
            expect(
              rows
                .filter((r) => r.VersionId === "" || r.VersionId === null)
                .map((r) => r.Key)
                .sort(),
            ).toEqual(["folder/", "null/deleted.txt", "null/keep.txt", "null/overwritten.txt"]);
          // Row order: by key (UTF-8 byte order, as the listing), newest version first.
          expect([...new Set(rows.map((r) => r.Key))]).toEqual([...new Set(expected.map((r) => r.Key))]);
          for (let i = 1; i < rows.length; i++) {
            const [prev, row] = [rows[i - 1] as Row, rows[i] as Row];
            if (all && prev.Key === row.Key)
              expect([row.IsLatest, (prev.LastModifiedDate as number) >= (row.LastModifiedDate as number)]).toEqual([
                false,
                true,
              ]);
          }

          for (const row of rows) {
            const marker = row.IsDeleteMarker === true;
            expect(row.IsMultipartUploaded).toBe(marker ? null : row.Key === MULTIPART);
            expect(row.EncryptionStatus).toBe(marker ? null : row.Key === "kms.txt" ? "SSE-KMS" : "SSE-S3");
            if (row.Key === MULTIPART) expect(row.ETag).toMatch(/^[0-9a-f]{32}-2$/);
            if (profile === "coreweave") {
              const read = row.Key === "docs/a file+1.txt" && row.IsLatest !== false;
              if (marker) expect(row.LastAccessedDate).toBeNull();
              else if (read) expect(row.LastAccessedDate as number).toBeGreaterThanOrEqual($.accessedAtLeast);
              else expect(row.LastAccessedDate).toBe(row.LastModifiedDate);
              continue;
            }
            for (const c of [
              "ReplicationStatus",
              "ObjectLockRetainUntilDate",
              "ObjectLockMode",
              "ObjectLockLegalHoldStatus",
              "LifecycleExpirationDate",
            ])
              expect(row[c], c).toBeNull();
            expect(row.BucketKeyStatus).toBe(marker ? null : "DISABLED");
            expect(row.IntelligentTieringAccessTier).toBe(!marker && row.Key === "tier/it.bin" ? "FREQUENT" : null);
            expect(row.IntelligentTieringReferenceDate !== null).toBe(!marker && row.Key === "tier/it.bin");
            if (!marker) {
              const acl = JSON.parse(Buffer.from(row.ObjectAccessControlList as string, "base64").toString("utf8"));
              expect(acl).toMatchObject({
                status: "AVAILABLE",
                grants: [{ type: "CanonicalUser", permission: "FULL_CONTROL", canonicalId: row.ObjectOwner }],
              });
            }
          }
        });
      }
    }
  });
}
