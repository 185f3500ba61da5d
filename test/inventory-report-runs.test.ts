// The run API: `at` (floored to the minute) names the folder and creationTimestamp; runs carry `warnings` (none on
// the engine); runs() and GET runs filter by bucket and id; the "run" event; disabled configurations; Filter.Prefix;
// SSE-KMS report objects; a run as of another time leaves the engine as it was; an empty bucket gives one readable data
// file with zero rows in every format.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { type InventoryRun, startInventoryEmulator } from "@inv-emulator/inventory";
import { seedObjects } from "@inv-emulator/s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient } from "./support/emulator.js";
import {
  awsDestinationPolicy,
  type ConfigInput,
  control,
  coreweaveDestinationPolicy,
  putInventory,
  putPolicy,
  runNow,
  sourceAndDestination,
} from "./support/inventory-runs.js";
import { downloadReport, reportRows } from "./support/reports.js";
import { useEmulator } from "./support/suite.js";

const NOW = Date.parse("2024-04-10T12:00:00.000Z"); // a Wednesday; the emulator's clock stands still here
const suite = useEmulator({ start: () => startInventoryEmulator({ port: 0, inMemory: true, clock: () => NOW }) });
const events: InventoryRun[] = [];

beforeAll(() => {
  suite.emulator.inventory.on("run", (run) => events.push(run));
});

/** A source holding `keys` (body = key) and a destination with the spec §2.12 policy, plus configurations. */
async function setUp(keys: string[], configs: Omit<ConfigInput, "dest">[]) {
  const { source, dest } = await sourceAndDestination(suite.s3, { keys, policy: true });
  for (const config of configs) await putInventory(suite.s3, source, { ...config, dest });
  return { source, dest };
}

const keysOf = async (run: InventoryRun) =>
  (await reportRows(await downloadReport(suite.s3, run))).flat().map((r) => r.Key);

describe("run({ bucket, id, at })", () => {
  it("uses `at`, floored to the minute, for the folders and creationTimestamp (Date, ISO string or epoch ms)", async () => {
    const { source } = await setUp(["a.txt"], [{ id: "at", format: "CSV", all: false, prefix: "p" }]);
    const cases: [Date | string | number, string, string][] = [
      [new Date("2024-05-06T07:08:59.999Z"), "2024-05-06T07-08Z", "2024-05-06-07-08"],
      ["2023-12-31T23:59:00.000Z", "2023-12-31T23-59Z", "2023-12-31-23-59"],
      [Date.parse("2025-07-21T01:00:30Z"), "2025-07-21T01-00Z", "2025-07-21-01-00"],
    ];
    for (const [at, folder, dt] of cases) {
      const run = await suite.emulator.inventory.run({ bucket: source, id: "at", at });
      const instant = Date.parse(`${folder.slice(0, 13)}:${folder.slice(14, 16)}:00Z`);
      expect(run).toMatchObject({
        status: "succeeded",
        at: new Date(instant).toISOString(),
        creationTimestamp: instant,
      });
      expect(run.manifestKey).toBe(`p/${source}/at/${folder}/manifest.json`);
      expect(run.symlinkKey).toBe(`p/${source}/at/hive/dt=${dt}/symlink.txt`);
      expect((await downloadReport(suite.s3, run)).manifest.creationTimestamp).toBe(String(instant));
    }
    const viaHttp = await runNow(suite.endpoint, {
      bucket: source,
      id: "at",
      at: Date.parse("2024-01-02T03:04:05Z"),
    });
    expect(viaHttp.manifestKey).toBe(`p/${source}/at/2024-01-02T03-04Z/manifest.json`);
    const withoutAt = await runNow(suite.endpoint, { bucket: source, id: "at" });
    expect(withoutAt.at).toBe("2024-04-10T12:00:00.000Z"); // the emulator's clock
    const bad = await control(suite.endpoint, "POST", "run", {
      bucket: source,
      id: "at",
      at: "yesterday-ish",
    });
    expect(bad.status).toBe(400);
  });

  it("runs carry `warnings`, empty on the engine (it keeps versions, so All is done as asked), in process and over HTTP", async () => {
    const { source } = await setUp(["a.txt"], [{ id: "all", format: "CSV", all: true }]);
    const run = await suite.emulator.inventory.run({ bucket: source, id: "all" });
    expect([run.status, run.warnings]).toEqual(["succeeded", []]);
    expect((await control(suite.endpoint, "GET", `runs?bucket=${source}`)).json.runs).toEqual([run]);
    expect((await runNow(suite.endpoint, { bucket: source, id: "all" })).warnings).toEqual([]);
  });

  it("runs() and GET /_emulator/inventory/runs filter by bucket and id; the run event fires for each run", async () => {
    const a = await setUp(
      ["x"],
      [
        { id: "one", format: "CSV", all: false },
        { id: "two", format: "ORC", all: false },
      ],
    );
    const b = await setUp(["y"], [{ id: "one", format: "Parquet", all: true }]);
    const before = events.length;
    const made = [
      await runNow(suite.endpoint, { bucket: a.source, id: "one" }),
      await runNow(suite.endpoint, { bucket: a.source, id: "two" }),
      await suite.emulator.inventory.run({ bucket: b.source, id: "one" }),
      await runNow(suite.endpoint, { bucket: a.source, id: "one", at: "2020-01-01T00:00:00Z" }),
    ];
    expect(events.slice(before).map((e) => e.runId)).toEqual(made.map((r) => r.runId));
    expect(events.at(-1)).toEqual(made[3]);
    const ids = (runs: { runId: string }[]) => runs.map((r) => r.runId);
    expect(ids(suite.emulator.inventory.runs({ bucket: a.source }))).toEqual(
      ids([made[0], made[1], made[3]] as InventoryRun[]),
    );
    expect(ids(suite.emulator.inventory.runs({ bucket: a.source, id: "one" }))).toEqual(
      ids([made[0], made[3]] as InventoryRun[]),
    );
    expect(ids(suite.emulator.inventory.runs({ bucket: b.source }))).toEqual(ids([made[2]] as InventoryRun[]));
    expect(ids(suite.emulator.inventory.runs())).toEqual(expect.arrayContaining(ids(made)));
    const http = await control(suite.endpoint, "GET", `runs?bucket=${a.source}&id=one`);
    expect(http.status).toBe(200);
    expect(http.json.runs).toEqual([made[0], made[3]]);
    expect((await control(suite.endpoint, "GET", `runs?bucket=${b.source}`)).json.runs).toEqual([made[2]]);
    expect((await control(suite.endpoint, "GET", `runs?bucket=${a.source}&id=none`)).json.runs).toEqual([]);
  });

  it("a disabled configuration: 409 with a clear error, a report with force, and no scheduled runs", async () => {
    const { source } = await setUp(["k"], [{ id: "off", format: "CSV", all: false, enabled: false }]);
    const refused = await control(suite.endpoint, "POST", "run", { bucket: source, id: "off" });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      code: "ConfigurationDisabled",
      error: expect.stringMatching(/disabled.*force|IsEnabled/i),
    });
    await expect((async () => suite.emulator.inventory.run({ bucket: source, id: "off" }))()).rejects.toThrow(
      /disabled/i,
    );
    expect(suite.emulator.inventory.runs({ bucket: source })).toEqual([]);
    const forced = await runNow(suite.endpoint, { bucket: source, id: "off", force: true });
    expect(await keysOf(forced)).toEqual(["k"]);
    const scheduled = await suite.emulator.inventory.advanceClock(NOW + 3 * 86_400_000);
    expect(scheduled.filter((r) => r.bucket === source)).toEqual([]);
    expect(suite.emulator.inventory.runs({ bucket: source })).toHaveLength(1);
  });

  it("unknown configurations and buckets are errors, not runs", async () => {
    const { source } = await setUp([], []);
    const missing = await fetch(`${suite.endpoint}/_emulator/inventory/run`, {
      method: "POST",
      body: JSON.stringify({ bucket: source, id: "nope" }),
    });
    expect([missing.status, await missing.text()]).toEqual([404, expect.stringContaining("NoSuchConfiguration")]);
    const noBucket = await fetch(`${suite.endpoint}/_emulator/inventory/run`, {
      method: "POST",
      body: JSON.stringify({ bucket: "no-such-bucket-x", id: "a" }),
    });
    expect([noBucket.status, await noBucket.text()]).toEqual([404, expect.stringContaining("NoSuchBucket")]);
    expect((await control(suite.endpoint, "POST", "run", { id: "a" })).status).toBe(400);
  });
});

describe("what a report holds", () => {
  it("Filter.Prefix is a plain key-prefix match", async () => {
    const keys = ["logs/a", "logs/b/c", "logs", "logsX/d", "a/logs/e", "Logs/f"];
    const { source } = await setUp(keys, [{ id: "f", format: "Parquet", all: true, filterPrefix: "logs/" }]);
    expect(await keysOf(await runNow(suite.endpoint, { bucket: source, id: "f" }))).toEqual(["logs/a", "logs/b/c"]);
  });

  it("SSE-KMS in the configuration: every report object stored with aws:kms and the key id; none: SSE-S3", async () => {
    const keyId = "arn:aws:kms:us-east-1:000000000000:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    const { source, dest } = await setUp(
      ["k"],
      [
        { id: "kms", format: "ORC", all: false, kmsKeyId: keyId },
        { id: "plain", format: "CSV", all: false },
      ],
    );
    const head = (Key: string) => suite.s3.send(new HeadObjectCommand({ Bucket: dest, Key }));
    const kms = await runNow(suite.endpoint, { bucket: source, id: "kms" });
    for (const key of [...kms.dataKeys, kms.symlinkKey, kms.manifestKey, kms.checksumKey] as string[]) {
      const out = await head(key);
      expect([key, out.ServerSideEncryption, out.SSEKMSKeyId]).toEqual([key, "aws:kms", keyId]);
    }
    const plain = await runNow(suite.endpoint, { bucket: source, id: "plain" });
    expect((await head(plain.manifestKey as string)).ServerSideEncryption).toBe("AES256");
  });

  it("a run as of another time leaves the source, the clock and the schedule as they were", async () => {
    const { source, dest } = await setUp(["a", "b"], [{ id: "d", format: "CSV", all: true }]);
    const listing = async (Bucket: string) =>
      (await suite.s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions?.map((v) => [
        v.Key,
        v.VersionId,
        v.ETag,
        v.LastModified?.getTime(),
      ]);
    const sourceBefore = await listing(source);
    const clockBefore = suite.emulator.inventory.now();
    const past = await suite.emulator.inventory.run({ bucket: source, id: "d", at: "2001-02-03T04:05:06Z" });
    const future = await suite.emulator.inventory.run({ bucket: source, id: "d", at: "2101-02-03T04:05:06Z" });
    expect([past.at, future.at]).toEqual(["2001-02-03T04:05:00.000Z", "2101-02-03T04:05:00.000Z"]);
    expect(await listing(source)).toEqual(sourceBefore);
    expect(suite.emulator.inventory.now()).toBe(clockBefore);
    const written = [past, future].flatMap((r) => [...r.dataKeys, r.symlinkKey, r.manifestKey, r.checksumKey]);
    expect((await listing(dest))?.map((v) => v[0]).sort()).toEqual(written.sort());
    expect(await keysOf(past)).toEqual(["a", "b"]);
    await suite.s3.send(new PutObjectCommand({ Bucket: source, Key: "c", Body: "c" })); // stamped with the engine's clock
    expect((await listing(source))?.find((v) => v[0] === "c")?.[3]).toBe(NOW);
    const next = await suite.emulator.inventory.advanceClock(clockBefore + 86_400_000);
    expect(next.filter((r) => r.bucket === source).map((r) => r.at)).toEqual([
      new Date(Math.floor(clockBefore / 86_400_000) * 86_400_000 + 90_000_000).toISOString(),
    ]);
  });

  it("write order: data files, symlink.txt, manifest.json, manifest.checksum last; a refusal stops the rest", async () => {
    const kind = (key: string) => (key.includes("/data/") ? "data" : (key.split("/").pop() as string));
    for (const [denied, written] of [
      ["manifest.checksum", ["data", "manifest.json", "symlink.txt"]],
      ["manifest.json", ["data", "symlink.txt"]],
      ["symlink.txt", ["data"]],
    ] as const) {
      const { source, dest } = await setUp(["k"], [{ id: "order", format: "CSV", all: false }]);
      const deny = {
        Effect: "Deny",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${dest}/*/${denied}`,
      };
      const policy = awsDestinationPolicy(dest, source);
      await putPolicy(suite.s3, dest, { ...policy, Statement: [...policy.Statement, deny] });
      const run = await runNow(suite.endpoint, { bucket: source, id: "order" });
      expect([run.status, run.reason]).toEqual(["failed", expect.stringMatching(/AccessDenied/)]);
      const listed = await suite.s3.send(new ListObjectsV2Command({ Bucket: dest }));
      expect((listed.Contents ?? []).map((o) => kind(o.Key as string)).sort()).toEqual([...written]);
    }
  });

  it("a run reports the bucket as it was when it started, whatever is written meanwhile", async () => {
    const { source } = await setUp([], [{ id: "snap", format: "CSV", all: true, fields: ["Size"] }]);
    const keys = Array.from({ length: 20_000 }, (_, i) => `seed/${String(i).padStart(6, "0")}`);
    seedObjects(
      suite.emulator.engine,
      source,
      keys.map((key) => ({ key, size: 1 })),
    );
    const order: string[] = [];
    const running = suite.emulator.inventory.run({ bucket: source, id: "snap" }).then((run) => {
      order.push("run");
      return run;
    });
    await Promise.all([
      suite.s3.send(new PutObjectCommand({ Bucket: source, Key: "seed/new", Body: "new" })),
      suite.s3.send(new PutObjectCommand({ Bucket: source, Key: "seed/000001", Body: "changed" })),
      suite.s3.send(new DeleteObjectCommand({ Bucket: source, Key: "seed/000002" })),
    ]);
    order.push("writes");
    const rows = (await reportRows(await downloadReport(suite.s3, await running))).flat();
    expect(order).toEqual(["writes", "run"]); // the writes landed while the run was going
    expect(rows.map((r) => r.Key)).toEqual(keys);
    expect(rows.every((r) => r.Size === 1)).toBe(true);
  });

  it("an empty bucket: one data file with zero rows, which every reader accepts, in every format", async () => {
    const cw = await startInventoryEmulator({ port: 0, inMemory: true, profile: "coreweave" });
    const client = sdkClient(cw.endpoint);
    try {
      const [source, dest] = [bucketName("empty"), bucketName("dest")];
      for (const Bucket of [source, dest]) await client.send(new CreateBucketCommand({ Bucket }));
      await putPolicy(client, dest, coreweaveDestinationPolicy(dest, "arn:aws:iam::000000000000:root")); // the default owner reads
      for (const format of ["CSV", "TSV", "JSON", "ORC", "Parquet"]) {
        const fields = ["Size", "LastModifiedDate", "IsMultipartUploaded", "ETag"];
        await putInventory(client, source, { id: format, dest, format, all: true, fields });
        const run = await runNow(cw.endpoint, { bucket: source, id: format });
        expect([run.status, run.dataKeys.length, run.rowCount]).toEqual(["succeeded", 1, 0]);
        const report = await downloadReport(client, run);
        expect(report.manifest.files).toHaveLength(1);
        expect(report.symlink.split("\n")).toHaveLength(2);
        expect(await reportRows(report)).toEqual([[]]);
      }
    } finally {
      client.destroy();
      await cw.close();
    }
  });
});
