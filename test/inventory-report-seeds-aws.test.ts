// seeds/003 (Amazon S3 developer guide on inventory): with the destination policy of spec §2.12 a run delivers the
// documented report: gzip CSV with the listed metadata, and manifest.checksum, the completion signal, under
// destination-prefix/source-bucket. (The failed run without a policy is in inventory-report-seeds.test.ts.)
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { startInventoryEmulator } from "@inv-emulator/inventory";
import { describe, expect, it } from "vitest";
import {
  awsDestinationPolicy,
  putInventory,
  putPolicy,
  runNow,
  sourceAndDestination,
} from "./support/inventory-runs.js";
import { downloadReport, reportRows } from "./support/reports.js";
import { useEmulator } from "./support/suite.js";

describe("seeds/003 (Amazon S3)", () => {
  const aws = useEmulator({ start: () => startInventoryEmulator({ port: 0, inMemory: true }) });

  async function buckets() {
    const { source: src, dest } = await sourceAndDestination(aws.s3, { keys: ["a.txt", "b/c.txt"] });
    return { src, dest };
  }
  // The report contents the guide lists: VersionId, IsLatest and IsDeleteMarker (All), size, dates, ETag, class, ...
  const FIELDS = ["Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded", "ReplicationStatus"];

  it("with the destination policy: a gzip CSV report, and a manifest.checksum under destination-prefix/source-bucket", async () => {
    const { src, dest } = await buckets();
    await putPolicy(aws.s3, dest, awsDestinationPolicy(dest, src));
    await putInventory(aws.s3, src, {
      id: "config-ID",
      dest,
      format: "CSV",
      all: true,
      prefix: "destination-prefix",
      fields: FIELDS,
    });
    const run = await runNow(aws.endpoint, { bucket: src, id: "config-ID" });
    const report = await downloadReport(aws.s3, run);
    expect(report.manifest.fileSchema).toBe(
      "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus",
    );
    const rows = (await reportRows(report)).flat();
    expect(rows.map((r) => [r.Key, r.VersionId, r.IsLatest, r.IsDeleteMarker, r.Size])).toEqual([
      ["a.txt", "", true, false, 5],
      ["b/c.txt", "", true, false, 7],
    ]);
    // The completion signal: objects ending in "checksum" under destination-prefix/source-bucket.
    const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: dest, Prefix: `destination-prefix/${src}` }));
    expect((listed.Contents ?? []).map((o) => o.Key).filter((k) => k?.endsWith("checksum"))).toEqual([run.checksumKey]);
  });
});
