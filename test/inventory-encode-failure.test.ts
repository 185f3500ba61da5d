import { encodeDataFile, REPORT_FORMATS, type ReportRow, selectColumns } from "@inv-emulator/inventory";
import { encodeSnapshotPage, type SnapshotPage } from "@inv-emulator/s3";
import { describe, expect, it } from "vitest";

const ROW: ReportRow = {
  bucket: "src",
  key: "k",
  versionId: "null",
  isLatest: true,
  isDeleteMarker: false,
  size: 1,
  etag: "0123456789abcdef0123456789abcdef",
  lastModifiedMs: 1_700_000_000_000,
  storageClass: "STANDARD",
  isMultipart: false,
  checksumAlgorithm: null,
  encryption: null,
  kmsKeyId: null,
  ownerId: "owner",
  lastAccessMs: null,
};

/** `count` rows in pages of 1,000; the row at `badAt` has an instant no encoder can write (10^300 ms). */
async function* pages(count: number, badAt: number): AsyncGenerator<SnapshotPage> {
  for (let start = 0; start < count; start += 1000) {
    const batch: ReportRow[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++)
      batch.push({
        ...ROW,
        key: `key-${i}`,
        lastModifiedMs: i === badAt ? 1e300 : ROW.lastModifiedMs,
      });
    yield encodeSnapshotPage(batch);
  }
}

const configuration = {
  id: "x",
  isEnabled: true,
  includedObjectVersions: "Current",
  schedule: { frequency: "Daily" },
  destination: { bucketArn: "arn:aws:s3:::dest", format: "CSV" },
  optionalFields: ["LastModifiedDate"],
} as never;

// The data file of a run is encoded on a worker thread above 10,000 rows (the built package; from sources it
// is this thread): a failure there must fail the file's stream, not the process, and stop the worker.
describe("a failing encoder fails the data file, not the process", () => {
  it.each([
    ["on the encoder thread", 30_000, 25_000],
    ["on this thread (a small file)", 500, 100],
  ])("CSV, %s", async (_where, count, badAt) => {
    const format = REPORT_FORMATS.CSV;
    if (!format) throw new Error("no CSV format");
    const body = encodeDataFile(format, selectColumns(configuration), "src", pages(count, badAt));
    const read = async () => {
      for await (const _ of body);
    };
    await expect(read()).rejects.toThrow(/Invalid time value/);
  });

  it("after a failure the next file encodes normally", async () => {
    const format = REPORT_FORMATS.CSV;
    if (!format) throw new Error("no CSV format");
    const chunks: Buffer[] = [];
    for await (const chunk of encodeDataFile(format, selectColumns(configuration), "src", pages(20_000, -1)))
      chunks.push(chunk);
    const { gunzipSync } = await import("node:zlib");
    const lines = gunzipSync(Buffer.concat(chunks)).toString().trimEnd().split("\n");
    expect(lines.length).toBe(20_000);
    expect(lines[19_999]).toBe('"src","key-19999","2023-11-14T22:13:20.000Z"');
  });
});
