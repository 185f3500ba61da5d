// The s3rver plugin's run API: the control routes' answers for bad requests and disabled configurations, scheduled
// runs on the simulated clock, the run API in process, state kept across an s3rver restart, the coreweave profile,
// and the guards of withInventory().
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { withInventory } from "@inv-emulator/s3rver-plugin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { expectSdkError } from "./support/policy-clients.js";
import { createBucket } from "./support/raw-http.js";
import {
  awsDestinationPolicy,
  control,
  coreweaveDestinationPolicy,
  downloadReport,
  putInventory,
  putPolicy,
  reportRows,
  runNow,
} from "./support/reports.js";
import { type RunningS3rver, S3rver, s3rverClient, startS3rver } from "./support/s3rver.js";

describe("control routes and the run API", () => {
  let s3rver: RunningS3rver;
  let s3: S3Client;
  const source = bucketName("src");
  const dest = bucketName("dest");

  beforeAll(async () => {
    s3rver = await startS3rver({ accountId: "111122223333" });
    s3 = s3rverClient(s3rver.endpoint);
    await createBucket(s3rver.port, source);
    await createBucket(s3rver.port, dest);
    await s3.send(new PutObjectCommand({ Bucket: source, Key: "one.txt", Body: "1" }));
    await putPolicy(s3, dest, awsDestinationPolicy(dest, source, "111122223333"));
    await putInventory(s3, source, { id: "daily", dest, format: "CSV", all: false });
    await putInventory(s3, source, { id: "weekly", dest, format: "ORC", all: false, frequency: "Weekly" });
    await putInventory(s3, source, { id: "off", dest, format: "CSV", all: false, enabled: false });
  });
  afterAll(async () => {
    s3?.destroy();
    await s3rver?.close();
  });

  it.each([
    ["no such configuration", 404, "NoSuchConfiguration", { bucket: source, id: "none" }],
    ["no such bucket", 404, "NoSuchBucket", { bucket: "no-such-bucket-s3rver", id: "daily" }],
    ["no id", 400, "InvalidRequest", { bucket: source }],
    ["a disabled configuration", 409, "ConfigurationDisabled", { bucket: source, id: "off" }],
  ])("POST /_emulator/inventory/run, %s: %i %s as JSON", async (_label, status, code, body) => {
    const answer = await control(s3rver.endpoint, "POST", "run", body);
    expect(answer).toEqual({ status, json: { error: expect.any(String), code } });
  });

  it("a disabled configuration runs with force; unknown control paths are 404", async () => {
    expect((await runNow(s3rver.endpoint, { bucket: source, id: "off", force: true })).status).toBe("succeeded");
    expect((await control(s3rver.endpoint, "GET", "nothing-here")).status).toBe(404);
  });

  it("advance-clock performs every scheduled run due, each with its own instant", async () => {
    const { status, json } = await control(s3rver.endpoint, "POST", "advance-clock", {
      to: new Date(Date.now() + 8 * 86_400_000).toISOString(),
    });
    expect(status).toBe(200);
    const runs = json.runs as { id: string; status: string; trigger: string; creationTimestamp: number }[];
    const daily = runs.filter((run) => run.id === "daily");
    expect(daily.length).toBeGreaterThanOrEqual(7);
    expect(runs.filter((run) => run.id === "weekly").length).toBeGreaterThanOrEqual(1);
    expect(runs.every((run) => run.status === "succeeded" && run.trigger === "schedule")).toBe(true);
    expect(new Set(daily.map((run) => run.creationTimestamp)).size).toBe(daily.length);
  });

  it("in process: server.inventory runs, lists runs and announces them", async () => {
    const announced: string[] = [];
    s3rver.server.inventory.on("run", (run) => announced.push(run.runId));
    const run = await s3rver.server.inventory.run({ bucket: source, id: "daily" });
    expect(run).toMatchObject({ status: "succeeded", rowCount: 1 });
    expect(announced).toEqual([run.runId]);
    expect(s3rver.server.inventory.runs({ bucket: source, id: "daily" }).at(-1)?.runId).toBe(run.runId);
  });

  it("the account option is the aws:SourceAccount of deliveries", async () => {
    await putPolicy(s3, dest, awsDestinationPolicy(dest, source, "123456789000"));
    const run = await runNow(s3rver.endpoint, { bucket: source, id: "daily" });
    expect(run).toMatchObject({ status: "failed", reason: expect.stringMatching(/^AccessDenied/) });
  });
});

describe("an s3rver restart on the same directory", () => {
  it("keeps configurations, policies and run records", async () => {
    const first = await startS3rver();
    const s3 = s3rverClient(first.endpoint);
    const bucket = bucketName("keep");
    await createBucket(first.port, bucket);
    await putPolicy(s3, bucket, awsDestinationPolicy(bucket, bucket, "123456789000"));
    await putInventory(s3, bucket, { id: "kept", dest: bucket, format: "Parquet", all: false });
    const before = await runNow(first.endpoint, { bucket, id: "kept" });
    await first.close({ keep: true });

    const second = await startS3rver({ directory: first.directory });
    try {
      const { json } = await control(second.endpoint, "GET", `runs?bucket=${bucket}`);
      expect(json.runs).toEqual([before]);
      const again = await runNow(second.endpoint, { bucket, id: "kept" });
      expect(again.status, again.reason).toBe("succeeded");
      // The source is its own destination: the second report lists the first one's four objects too.
      expect(again.rowCount).toBe(4);
    } finally {
      s3.destroy();
      await second.close();
    }
  });
});

describe("the coreweave profile", () => {
  const READER = "arn:aws:iam::orga:coreweave/reader";
  let s3rver: RunningS3rver;
  let s3: S3Client;
  beforeAll(async () => {
    s3rver = await startS3rver({ profile: "coreweave" });
    s3 = s3rverClient(s3rver.endpoint);
  });
  afterAll(async () => {
    s3?.destroy();
    await s3rver?.close();
  });

  it("checks the destination policy at PUT, accepts TSV and reports with its inventory principal", async () => {
    const [source, dest] = [bucketName("cw-src"), bucketName("cw-dest")];
    await createBucket(s3rver.port, source);
    await createBucket(s3rver.port, dest);
    await s3.send(new PutObjectCommand({ Bucket: source, Key: "k e y.txt", Body: "coreweave" }));
    const configuration = { id: "tsv", dest, format: "TSV", all: false, fields: ["Size", "LastAccessedDate"] };
    await expectSdkError(putInventory(s3, source, configuration), "IllegalInventoryConfigurationException", 400);
    await putPolicy(s3, dest, coreweaveDestinationPolicy(dest, READER));
    await putInventory(s3, source, configuration);
    const report = await downloadReport(s3, await runNow(s3rver.endpoint, { bucket: source, id: "tsv" }));
    expect(report.manifest.fileFormat).toBe("TSV");
    expect((await reportRows(report)).flat()).toEqual([
      { Bucket: source, Key: "k e y.txt", Size: 9, LastAccessedDate: null },
    ]);
    const missing = await control(s3rver.endpoint, "POST", "run", { bucket: source, id: "none" });
    expect(missing.json.code).toBe("NoSuchInventoryConfiguration");
  });
});

describe("withInventory()", () => {
  it("refuses what it cannot mount into: not s3rver, twice, after run()", async () => {
    expect(() => withInventory({})).toThrow(TypeError);
    const twice = withInventory(new S3rver({ silent: true }));
    expect(() => withInventory(twice)).toThrow(/already/);
    const running = await startS3rver();
    try {
      const fresh = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: running.directory });
      await fresh.run();
      expect(() => withInventory(fresh)).toThrow(/before s3rver's run\(\)/);
      await fresh.close();
    } finally {
      await running.close();
    }
  });
});
