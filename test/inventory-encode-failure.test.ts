import { readdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  encodeDataFile,
  engineHost,
  REPORT_FORMATS,
  type ReportSnapshot,
  selectColumns,
  startInventoryEmulator,
} from "@inv-emulator/inventory";
import { encodeSnapshotPage, type SnapshotPage, type SnapshotVersion } from "@inv-emulator/s3";
import { afterEach, describe, expect, it } from "vitest";
import { putInventory, sourceAndDestination } from "./support/inventory-runs.js";
import { useEmulator } from "./support/suite.js";

const VERSION: SnapshotVersion = {
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

/**
 * `count` versions in pages of 500; the one at `badAt` has an instant no encoder can write (10^300 ms, beyond what
 * a Date holds): the stand-in for any failure while a data file is being encoded.
 */
function pages(count: number, badAt: number): SnapshotPage[] {
  const out: SnapshotPage[] = [];
  for (let start = 0; start < count; start += 500) {
    const versions: SnapshotVersion[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++)
      versions.push({
        ...VERSION,
        key: `key-${String(i).padStart(6, "0")}`,
        lastModifiedMs: i === badAt ? 1e300 : VERSION.lastModifiedMs,
      });
    out.push(encodeSnapshotPage(versions));
  }
  return out;
}

/** This process's threads (Linux): an encoder thread left running would stay in the count. */
const threadCount = () => readdirSync("/proc/self/task").length;

const suite = useEmulator({ start: () => startInventoryEmulator({ port: 0, inMemory: true }) });
const host = () => engineHost(suite.emulator.engine);
let realOpenSnapshot: ReturnType<typeof host>["openSnapshot"] | undefined;
afterEach(() => {
  if (realOpenSnapshot) host().openSnapshot = realOpenSnapshot;
  realOpenSnapshot = undefined;
});

/** The next runs of the emulator read `fake` instead of their source bucket. */
function fakeSnapshot(fake: SnapshotPage[]) {
  realOpenSnapshot ??= host().openSnapshot;
  host().openSnapshot = () => ({ pages: () => fake, close() {} }) satisfies ReportSnapshot;
}

// A data file of more than 10,000 rows is encoded on a worker thread, a smaller one on this thread.
describe.each([
  ["on the encoder thread", 30_000, 25_000],
  ["on this thread (a small file)", 600, 100],
])("a report whose encoder fails %s", (_where, count, badAt) => {
  it.each(["CSV", "Parquet", "ORC"])(
    "%s: the run fails with a one-line reason, the process and the emulator go on",
    async (format) => {
      const { source, dest } = await sourceAndDestination(suite.s3, { keys: ["real.txt"], policy: true });
      await putInventory(suite.s3, source, { id: "inv", dest, format, all: false, fields: ["LastModifiedDate"] });
      const threadsBefore = threadCount();

      fakeSnapshot(pages(count, badAt));
      const failed = await suite.emulator.inventory.run({ bucket: source, id: "inv" });
      expect(failed.status).toBe("failed");
      expect(failed.reason).toMatch(/Invalid time value|Invalid Date|out of range/);
      expect(failed.reason).not.toContain("\n"); // the message, not the worker's stack
      // Nothing of the failed report is delivered: no manifest, no checksum.
      const listed = await suite.s3.send(new ListObjectsV2Command({ Bucket: dest }));
      expect((listed.Contents ?? []).filter((o) => o.Key?.endsWith("manifest.checksum"))).toEqual([]);
      await expect.poll(threadCount, { timeout: 5000 }).toBeLessThanOrEqual(threadsBefore);

      if (realOpenSnapshot) host().openSnapshot = realOpenSnapshot;
      const next = await suite.emulator.inventory.run({ bucket: source, id: "inv" });
      expect(next).toMatchObject({ status: "succeeded", rowCount: 1 });
      const statuses = (await suite.emulator.inventory.runs({ bucket: source, id: "inv" })).map((run) => run.status);
      expect(statuses.sort()).toEqual(["failed", "succeeded"]);
    },
  );
});

describe("encodeDataFile: the same bytes on the encoder thread as on this one", () => {
  // Varied rows: keys that form-URL-encoding and JSON escaping change, delete markers, null versions, SSE-KMS.
  const versions = (count: number): SnapshotVersion[] =>
    Array.from({ length: count }, (_, i) => ({
      ...VERSION,
      key: ['dir/a b+c%d"e,f', "tab\there", "年报/résumé", "line\nbreak"][i % 4] + String(i).padStart(6, "0"),
      versionId: i % 5 === 0 ? "null" : `v${i}`,
      isLatest: i % 3 !== 0,
      isDeleteMarker: i % 7 === 0,
      size: i * 1_000_003,
      lastModifiedMs: 1_700_000_000_000 + i * 1001,
      storageClass: i % 2 ? "STANDARD" : "INTELLIGENT_TIERING",
      encryption: i % 4 === 0 ? "aws:kms" : null,
    }));
  const fields = [
    "Size",
    "LastModifiedDate",
    "ETag",
    "StorageClass",
    "EncryptionStatus",
    "IntelligentTieringAccessTier",
  ];

  it.each(["CSV", "TSV", "JSON"])(
    "%s: 20,000 rows through the worker equal the encoder run here on the same rows",
    async (name) => {
      const format = REPORT_FORMATS[name];
      if (!format) throw new Error(`no ${name} format`);
      const columns = selectColumns({
        destination: { format: name },
        includedObjectVersions: "All",
        optionalFields: fields,
      } as never);
      const rows = versions(20_000);
      async function* all() {
        for (let start = 0; start < rows.length; start += 500) yield encodeSnapshotPage(rows.slice(start, start + 500));
      }
      const chunks: Buffer[] = [];
      for await (const chunk of encodeDataFile(format, columns, "src", all())) chunks.push(chunk);
      const threaded = gunzipSync(Buffer.concat(chunks)).toString("utf8");

      // The reference: the format's encoder on this thread, cells taken straight from the columns.
      const encoder = format.createEncoder(columns);
      const labelled = rows.map((row) => ({ ...row, bucket: "src" }));
      const here = Buffer.concat([
        ...encoder.write(
          columns.map((column) => labelled.map((row) => column.value(row))),
          labelled.length,
        ),
        ...encoder.finish(),
      ]).toString("utf8");
      expect(threaded.length).toBeGreaterThan(1_000_000);
      expect(threaded.split("\n").length).toBe(20_001);
      expect(threaded === here).toBe(true);
    },
  );
});
