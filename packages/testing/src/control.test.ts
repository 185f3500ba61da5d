// The helpers test files call: freshBucketName against the real bucket-name rules of both profiles, emulatorEndpoint
// without a global setup, and runInventory / inventoryRuns / advanceClock against an emulator in this process.
import {
  CreateBucketCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type InventoryEmulator, startInventoryEmulator } from "@inv-emulator/inventory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, freshBucketName, inventoryRuns, runInventory } from "./control.js";
import { emulatorClient } from "./emulator-client.js";
import { emulatorEndpoint } from "./endpoint.js";

const LABELS = ["", "orders", "Orders_2024", "_private", "...", "a.b", "xn--punycode", "sthree-x", "amzn-s3-demo-x"];
const COREWEAVE_LABELS = ["cw-bucket", "vip-x", "log-stitcher-ch-1", "int", "-", "x".repeat(100)];

describe("freshBucketName", () => {
  it("unique names of 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit", () => {
    const names = Array.from({ length: 500 }, () => freshBucketName("same"));
    expect(new Set(names).size).toBe(500);
    for (const name of [...names, ...[...LABELS, ...COREWEAVE_LABELS].map((label) => freshBucketName(label))]) {
      expect(name).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    }
    expect(freshBucketName("Orders_2024")).toMatch(/^orders-2024-[0-9a-f]{12}$/);
    expect(freshBucketName()).toMatch(/^test-[0-9a-f]{12}$/);
  });

  for (const profile of ["aws", "coreweave"] as const) {
    it(`${profile}: the emulator accepts every name it makes, whatever the label`, async () => {
      const emulator = await startInventoryEmulator({ port: 0, inMemory: true, profile });
      const s3 = emulatorClient(emulator.endpoint);
      try {
        for (const label of [...LABELS, ...COREWEAVE_LABELS]) {
          const bucket = freshBucketName(label);
          await expect(
            s3.send(new CreateBucketCommand({ Bucket: bucket })),
            `${label} -> ${bucket}`,
          ).resolves.toBeDefined();
        }
      } finally {
        s3.destroy();
        await emulator.close();
      }
    });
  }
});

describe("emulatorEndpoint", () => {
  it("names the missing global setup when $INV_EMULATOR_ENDPOINT is not set, and returns it when it is", () => {
    const saved = process.env.INV_EMULATOR_ENDPOINT;
    try {
      delete process.env.INV_EMULATOR_ENDPOINT;
      expect(() => emulatorEndpoint()).toThrow(
        /INV_EMULATOR_ENDPOINT is not set: add @inv-emulator\/testing's global setup/,
      );
      process.env.INV_EMULATOR_ENDPOINT = "http://127.0.0.1:1234";
      expect(emulatorEndpoint()).toBe("http://127.0.0.1:1234");
    } finally {
      if (saved === undefined) delete process.env.INV_EMULATOR_ENDPOINT;
      else process.env.INV_EMULATOR_ENDPOINT = saved;
    }
  });
});

describe("runInventory, inventoryRuns, advanceClock (explicit endpoint)", () => {
  let emulator: InventoryEmulator;
  let s3: S3Client;
  const source = freshBucketName("source");
  const reports = freshBucketName("reports");

  beforeAll(async () => {
    emulator = await startInventoryEmulator({ port: 0, inMemory: true });
    s3 = emulatorClient(emulator.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: source }));
    await s3.send(new CreateBucketCommand({ Bucket: reports }));
    const statement = {
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${reports}/*`,
    };
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: reports,
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
      }),
    );
    for (const [id, enabled] of [
      ["daily", true],
      ["off", false],
    ] as const) {
      await s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: source,
          Id: id,
          InventoryConfiguration: {
            Id: id,
            IsEnabled: enabled,
            IncludedObjectVersions: "Current",
            Schedule: { Frequency: "Daily" },
            Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${reports}`, Format: "CSV" } },
          },
        }),
      );
    }
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.close();
  });

  it("runInventory: `at` as a Date or a number dates the report; a disabled configuration needs force", async () => {
    const endpoint = emulator.endpoint;
    const byDate = await runInventory({ bucket: source, id: "daily", at: new Date("2025-06-01T12:34:56Z"), endpoint });
    expect(byDate).toMatchObject({
      status: "succeeded",
      rowCount: 0,
      manifestKey: `${source}/daily/2025-06-01T12-34Z/manifest.json`,
    });
    const byNumber = await runInventory({ bucket: source, id: "daily", at: Date.UTC(2025, 5, 2, 1, 0), endpoint });
    expect(byNumber.manifestKey).toBe(`${source}/daily/2025-06-02T01-00Z/manifest.json`);
    await expect(runInventory({ bucket: source, id: "off", endpoint })).rejects.toThrow(/409 .*disabled/);
    expect((await runInventory({ bucket: source, id: "off", force: true, endpoint })).status).toBe("succeeded");
    await expect(runInventory({ bucket: source, id: "missing", endpoint })).rejects.toThrow(
      /POST \/_emulator\/inventory\/run: 404/,
    );
  });

  it("inventoryRuns filters by bucket and id; advanceClock performs the scheduled runs", async () => {
    const endpoint = emulator.endpoint;
    expect((await inventoryRuns({ bucket: source, id: "daily", endpoint })).map((r) => r.manifestKey)).toEqual([
      `${source}/daily/2025-06-01T12-34Z/manifest.json`,
      `${source}/daily/2025-06-02T01-00Z/manifest.json`,
    ]);
    expect(await inventoryRuns({ bucket: "no-such-bucket", endpoint })).toEqual([]);
    const scheduled = await advanceClock(Date.now() + 3 * 86_400_000, endpoint);
    const daily = scheduled.filter((run) => run.id === "daily");
    expect(daily.length).toBeGreaterThanOrEqual(2);
    expect(
      daily.every((run) => run.status === "succeeded" && /T01-00Z\/manifest\.json$/.test(run.manifestKey ?? "")),
    ).toBe(true);
    expect(scheduled.some((run) => run.id === "off")).toBe(false);
  });
});
