// Schedules on the simulated clock: advanceClock(to) and POST /_emulator/inventory/advance-clock perform every run due
// in between, in time order, each with its own instant (Daily at 01:00 UTC every day, Weekly on Sundays only); and
// maxRowsPerFile splits a report's data files.
import { PutBucketVersioningCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type InventoryRun, startInventoryEmulator } from "@inv-emulator/inventory";
import { seedObjects } from "@inv-emulator/s3";
import { beforeAll, describe, expect, it } from "vitest";
import { control, putInventory, runNow, sourceAndDestination } from "./support/inventory-runs.js";
import { downloadReport, reportRows } from "./support/reports.js";
import { getBytes } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const START = Date.parse("2024-04-10T12:00:00.000Z"); // a Wednesday
const DAY = 86_400_000;

const pair = (s3: S3Client) => sourceAndDestination(s3, { policy: true });

describe("advanceClock", () => {
  const suite = useEmulator({ start: () => startInventoryEmulator({ port: 0, inMemory: true, clock: () => START }) });
  let source: string;
  let other: string;
  const events: InventoryRun[] = [];

  beforeAll(async () => {
    suite.emulator.inventory.on("run", (run) => events.push(run));
    const s3 = suite.s3;
    const first = await pair(s3);
    source = first.source;
    await s3.send(new PutObjectCommand({ Bucket: source, Key: "k", Body: "k" }));
    await putInventory(s3, source, { id: "daily", dest: first.dest, format: "CSV", all: false, frequency: "Daily" });
    await putInventory(s3, source, {
      id: "weekly",
      dest: first.dest,
      format: "Parquet",
      all: true,
      frequency: "Weekly",
    });
    const second = await pair(s3);
    other = second.source;
    await putInventory(s3, other, { id: "daily", dest: second.dest, format: "ORC", all: false, frequency: "Daily" });
  });

  const ats = (runs: InventoryRun[], bucket: string, id: string) =>
    runs.filter((r) => r.bucket === bucket && r.id === id).map((r) => r.at);
  const dailyFrom = (first: string, count: number) =>
    Array.from({ length: count }, (_, i) => new Date(Date.parse(first) + i * DAY).toISOString());

  it("10 days: every Daily configuration runs at 01:00 UTC each day, Weekly on the Sunday only, in time order", async () => {
    const runs = await suite.emulator.inventory.advanceClock(START + 10 * DAY);
    expect(ats(runs, source, "daily")).toEqual(dailyFrom("2024-04-11T01:00:00.000Z", 10));
    expect(ats(runs, other, "daily")).toEqual(dailyFrom("2024-04-11T01:00:00.000Z", 10));
    expect(ats(runs, source, "weekly")).toEqual(["2024-04-14T01:00:00.000Z"]);
    expect(runs).toHaveLength(21);
    const instants = runs.map((r) => r.creationTimestamp);
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(runs.every((r) => r.status === "succeeded" && r.trigger === "schedule")).toBe(true);
    expect(events.map((e) => e.runId)).toEqual(runs.map((r) => r.runId));
    expect(suite.emulator.inventory.now()).toBe(START + 10 * DAY);

    // Ten reports with ten distinct manifest folders, each complete, each manifest with its own creationTimestamp.
    const daily = runs.filter((r) => r.bucket === source && r.id === "daily");
    expect(new Set(daily.map((r) => r.manifestKey)).size).toBe(10);
    expect(new Set(daily.map((r) => r.symlinkKey)).size).toBe(10);
    for (const run of daily) {
      const report = await downloadReport(suite.s3, run);
      expect(report.manifest.creationTimestamp).toBe(String(run.creationTimestamp));
      expect(run.manifestKey).toContain(`/${run.at.slice(0, 10)}T01-00Z/`);
      expect((await reportRows(report)).flat().map((r) => r.Key)).toEqual(["k"]);
    }
    const weekly = runs.find((r) => r.id === "weekly") as InventoryRun;
    expect(weekly.manifestKey).toBe(`${source}/weekly/2024-04-14T01-00Z/manifest.json`);
  });

  it("POST /_emulator/inventory/advance-clock: the next 8 days, two of them Sundays", async () => {
    const { status, json } = await control(suite.endpoint, "POST", "advance-clock", {
      to: "2024-04-28T12:00:00Z",
    });
    expect(status).toBe(200);
    const runs = json.runs as InventoryRun[];
    expect(ats(runs, source, "daily")).toEqual(dailyFrom("2024-04-21T01:00:00.000Z", 8));
    expect(ats(runs, source, "weekly")).toEqual(["2024-04-21T01:00:00.000Z", "2024-04-28T01:00:00.000Z"]);
    expect(runs).toHaveLength(18);
    expect(suite.emulator.inventory.runs({ bucket: source, id: "weekly" }).map((r) => r.at)).toEqual([
      "2024-04-14T01:00:00.000Z",
      "2024-04-21T01:00:00.000Z",
      "2024-04-28T01:00:00.000Z",
    ]);
    const checksum = await getBytes(suite.s3, runs[0]?.destinationBucket as string, runs[0]?.checksumKey as string);
    expect(checksum.toString()).toMatch(/^[0-9a-f]{32}\n$/);
  });

  it("going back or standing still runs nothing; a time that is not one is a 400", async () => {
    expect(await suite.emulator.inventory.advanceClock("2024-04-20T00:00:00Z")).toEqual([]);
    expect(suite.emulator.inventory.now()).toBe(Date.parse("2024-04-28T12:00:00Z"));
    expect(await suite.emulator.inventory.advanceClock("2024-04-29T00:59:59.999Z")).toEqual([]);
    expect((await suite.emulator.inventory.advanceClock("2024-04-29T01:00:00Z")).map((r) => r.at)).toEqual([
      "2024-04-29T01:00:00.000Z",
      "2024-04-29T01:00:00.000Z",
    ]);
    expect((await control(suite.endpoint, "POST", "advance-clock", { to: "soon" })).status).toBe(400);
    expect((await control(suite.endpoint, "POST", "advance-clock", {})).status).toBe(400);
  });
});

describe("maxRowsPerFile", () => {
  const suite = useEmulator({ start: () => startInventoryEmulator({ port: 0, inMemory: true, maxRowsPerFile: 10 }) });

  for (const format of ["CSV", "ORC", "Parquet"]) {
    it(`${format}: 25 objects, 10 rows a file -> 3 files in the manifest and symlink, every row once`, async () => {
      const { source, dest } = await pair(suite.s3);
      await putInventory(suite.s3, source, { id: "split", dest, format, all: false, fields: ["Size"] });
      const keys = Array.from({ length: 25 }, (_, i) => `obj/${String(i).padStart(3, "0")}`);
      seedObjects(
        suite.emulator.engine,
        source,
        keys.map((key, i) => ({ key, size: i })),
      );
      const run = await runNow(suite.endpoint, { bucket: source, id: "split" });
      expect([run.dataKeys.length, run.rowCount]).toEqual([3, 25]);
      const report = await downloadReport(suite.s3, run); // files, sizes, MD5s and symlink lines checked there
      expect(report.manifest.files.map((f) => f.key)).toEqual(run.dataKeys);
      expect(report.symlink.trim().split("\n")).toHaveLength(3);
      const files = await reportRows(report);
      expect(files.map((rows) => rows.length)).toEqual([10, 10, 5]);
      expect(files.flat().map((r) => [r.Key, r.Size])).toEqual(keys.map((key, i) => [key, i]));
    });
  }

  it("a key with 1,234 versions (one snapshot page) split 10 rows a file: every version once, in order", async () => {
    const { source, dest } = await pair(suite.s3);
    await suite.s3.send(
      new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await putInventory(suite.s3, source, { id: "many", dest, format: "CSV", all: true, fields: ["Size"] });
    const sizes = Array.from({ length: 1234 }, (_, i) => i);
    seedObjects(suite.emulator.engine, source, [
      { key: "a", size: 0 },
      ...sizes.map((size) => ({ key: "b", size })),
      { key: "c", size: 0 },
    ]);
    const run = await runNow(suite.endpoint, { bucket: source, id: "many" });
    expect([run.dataKeys.length, run.rowCount]).toEqual([124, 1236]);
    const files = await reportRows(await downloadReport(suite.s3, run));
    expect(files.map((rows) => rows.length)).toEqual([...Array(123).fill(10), 6]);
    const rows = files.flat();
    expect(rows.map((r) => r.Key).join("")).toBe(`a${"b".repeat(1234)}c`);
    expect(rows.filter((r) => r.Key === "b").map((r) => r.Size)).toEqual([...sizes].reverse()); // newest first
  }, 120_000);
});

describe("maxRowsPerFile that is not a positive whole number", () => {
  it.each([0, -5, 2.5, Number.NaN])("%s is refused when the emulator starts", async (maxRowsPerFile) => {
    await expect(startInventoryEmulator({ port: 0, inMemory: true, maxRowsPerFile })).rejects.toThrow(
      /maxRowsPerFile must be a positive whole number/,
    );
  });
});
