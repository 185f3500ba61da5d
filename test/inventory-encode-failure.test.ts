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

describe("encodeDataFile", () => {
  it("a large CSV file encoded on the worker thread reads back whole", async () => {
    const format = REPORT_FORMATS.CSV;
    if (!format) throw new Error("no CSV format");
    const configuration = {
      destination: { format: "CSV" },
      includedObjectVersions: "Current",
      optionalFields: ["LastModifiedDate"],
    } as never;
    async function* all() {
      yield* pages(20_000, -1);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of encodeDataFile(format, selectColumns(configuration), "src", all())) chunks.push(chunk);
    const lines = gunzipSync(Buffer.concat(chunks)).toString().trimEnd().split("\n");
    expect(lines.length).toBe(20_000);
    expect(lines[19_999]).toBe('"src","key-019999","2023-11-14T22:13:20.000Z"');
  });
});
