import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./support/cli-process.js";

const emulator = useCliServer();
const { cli } = emulator;

describe("run, runs, status", () => {
  const ROWS = 37;
  beforeAll(async () => {
    expect((await cli("seed", "-b", "inv-src", "-n", String(ROWS), "--json")).code).toBe(0);
    for (const bucket of ["inv-reports", "inv-no-policy"])
      await emulator.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const statement = {
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::inv-reports/*",
    };
    await emulator.s3.send(
      new PutBucketPolicyCommand({
        Bucket: "inv-reports",
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
      }),
    );
    const configure = (id: string, destination: string, enabled = true) =>
      emulator.s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: "inv-src",
          Id: id,
          InventoryConfiguration: {
            Id: id,
            IsEnabled: enabled,
            IncludedObjectVersions: "Current",
            Schedule: { Frequency: "Daily" },
            OptionalFields: ["Size"],
            Destination: {
              S3BucketDestination: { Bucket: `arn:aws:s3:::${destination}`, Format: "CSV", Prefix: "inv" },
            },
          },
        }),
      );
    await configure("daily", "inv-reports");
    await configure("no-policy", "inv-no-policy");
    await configure("disabled", "inv-reports", false);
  });

  it("run: exit 0, the report's size and where its manifest and data files are", async () => {
    const { code, stdout, stderr } = await cli("run", "--bucket", "inv-src", "--id", "daily");
    expect(code, stderr).toBe(0);
    expect(stderr).toBe("");
    const [head, manifest, ...data] = stdout.trimEnd().split("\n");
    expect(head).toMatch(
      new RegExp(`^Report of s3://inv-src \\(daily\\): ${ROWS} rows, \\d+ bytes in 1 data file\\(s\\), \\d+ ms$`),
    );
    expect(manifest).toMatch(
      /^ {2}manifest: s3:\/\/inv-reports\/inv\/inv-src\/daily\/\d{4}-\d\d-\d\dT\d\d-\d\dZ\/manifest\.json$/,
    );
    expect(data).toEqual([
      expect.stringMatching(/^ {2}data: {5}s3:\/\/inv-reports\/inv\/inv-src\/daily\/data\/[\w-]+\.csv\.gz$/),
    ]);
    for (const url of [manifest, data[0]]) {
      const key = url!.replace(/^.*s3:\/\/inv-reports\//, "");
      expect(
        (await emulator.s3.send(new HeadObjectCommand({ Bucket: "inv-reports", Key: key }))).ContentLength,
      ).toBeGreaterThan(0);
    }
  });

  it("run --json --at: the run record, the report dated as asked", async () => {
    const { code, stdout } = await cli("run", "-b", "inv-src", "-i", "daily", "--json", "--at", "2024-03-05T06:07:08Z");
    expect(code).toBe(0);
    const run = JSON.parse(stdout);
    expect(run).toMatchObject({
      status: "succeeded",
      bucket: "inv-src",
      id: "daily",
      rowCount: ROWS,
      destinationBucket: "inv-reports",
    });
    expect(run.manifestKey).toBe("inv/inv-src/daily/2024-03-05T06-07Z/manifest.json");
  });

  it("a run the destination policy refuses: exit 3, the reason on stderr in one line", async () => {
    const { code, stdout, stderr } = await cli("run", "-b", "inv-src", "-i", "no-policy");
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^inv-emulator: the run failed: AccessDenied: .*s3\.amazonaws\.com/),
    ]);
    const json = await cli("run", "-b", "inv-src", "-i", "no-policy", "--json");
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "failed", reason: expect.stringMatching(/^AccessDenied/) });
  });

  it("a disabled configuration: exit 3 saying so, unless --force", async () => {
    const refused = await cli("run", "-b", "inv-src", "-i", "disabled");
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^inv-emulator: .*disabled \(IsEnabled false\)/);
    const forced = await cli("run", "-b", "inv-src", "-i", "disabled", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(new RegExp(`^Report of s3://inv-src \\(disabled\\): ${ROWS} rows`));
  });

  it("usage and runtime errors: missing flags and a bad --at exit 2, a missing configuration exits 1", async () => {
    for (const args of [
      ["-b", "inv-src"],
      ["-i", "daily"],
      ["-b", "inv-src", "-i", "daily", "--at", "yesterday"],
    ]) {
      const result = await cli("run", ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
    const missing = await cli("run", "-b", "inv-src", "-i", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^inv-emulator: POST \/_emulator\/inventory\/run: 404 .*configuration does not exist/,
    );
  });

  it("runs: a table of every run, failures with their reason; --json; filters", async () => {
    const json = await cli("runs", "--json");
    const runs = JSON.parse(json.stdout) as { bucket: string; id: string; status: string; reason?: string }[];
    expect(runs.map((r) => `${r.id}:${r.status}`)).toEqual([
      "daily:succeeded",
      "daily:succeeded",
      "no-policy:failed",
      "no-policy:failed",
      "disabled:succeeded",
    ]);
    const table = await cli("runs");
    expect(table.code).toBe(0);
    const [header, rule, ...rows] = table.stdout.trimEnd().split("\n");
    expect(header?.split("|").map((c) => c.trim())).toEqual([
      "at",
      "bucket",
      "id",
      "status",
      "fileFormat",
      "rowCount",
      "bytes",
      "reason",
    ]);
    expect(rule).toMatch(/^-+(-\+-+){7}$/);
    expect(rows).toHaveLength(5);
    expect(rows.filter((row) => /\| no-policy +\| failed +\| CSV +\| 0 +\| 0 +\| AccessDenied/.test(row))).toHaveLength(
      2,
    );
    expect(rows.filter((row) => new RegExp(`\\| succeeded \\| CSV +\\| ${ROWS} `).test(row))).toHaveLength(3);
    const filtered = JSON.parse((await cli("runs", "--json", "-b", "inv-src", "-i", "no-policy")).stdout);
    expect(filtered.map((r: { status: string }) => r.status)).toEqual(["failed", "failed"]);
    expect((await cli("runs", "--bucket", "no-such-bucket")).stdout).toBe("No inventory runs yet.\n");
  });

  it("status: ok, the profile and the run counts, in text and JSON", async () => {
    const text = await cli("status");
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`${emulator.endpoint}: ok, profile aws, 5 inventory run(s), 2 failed\n`);
    expect(JSON.parse((await cli("status", "--json")).stdout)).toEqual({
      endpoint: emulator.endpoint,
      status: "ok",
      profile: "aws",
      runs: 5,
      failedRuns: 2,
    });
  });
});
