// Configurations are stored with their bucket in SQLite: they survive a restart on the same data directory, and
// go with the bucket when it is deleted (a re-created bucket of the same name starts with none).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { EmulatorOptions, RunningEmulator } from "@inv-emulator/s3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bucketName, sdkClient } from "./support/emulator.js";
import {
  type Configuration,
  fullConfiguration,
  inventoryXml,
  minimalConfiguration,
  putMany,
  raw,
  startInventoryEmulator,
} from "./support/inventory.js";
import { createBucket, expectS3Error, rawRequest } from "./support/raw-http.js";

const base = mkdtempSync(join(tmpdir(), "inv-config-persist-"));
let emulator: RunningEmulator | undefined;
let s3: S3Client | undefined;

afterEach(async () => {
  s3?.destroy();
  s3 = undefined;
  await emulator?.close();
  emulator = undefined;
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function start(options: EmulatorOptions): Promise<{ port: number; s3: S3Client }> {
  s3?.destroy();
  await emulator?.close();
  emulator = await startInventoryEmulator(options);
  s3 = sdkClient(emulator.endpoint);
  return { port: emulator.port, s3 };
}

async function listed(client: S3Client, bucket: string): Promise<Configuration[] | undefined> {
  return (await client.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket })))
    .InventoryConfigurationList;
}

/** Empties (one object put and deleted) and deletes the bucket, then creates it again. */
async function recreate(port: number, client: S3Client, bucket: string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" }));
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  expectS3Error(await raw.list(port, bucket), 404, "NoSuchBucket");
  await createBucket(port, bucket);
}

describe.each(["aws", "coreweave"] as const)("on a dataDir emulator (%s profile)", (profile) => {
  const options = (dir: string): EmulatorOptions => ({ dataDir: join(base, profile, dir), inMemory: false, profile });

  it("close and restart: every configuration is still there, byte for byte, and still paged", async () => {
    const first = bucketName("keep");
    const second = bucketName("keep");
    const destination = bucketName("dest");
    let { port, s3: client } = await start(options("restart"));
    for (const bucket of [first, second, destination]) await createBucket(port, bucket);
    if (profile === "coreweave") {
      const policy = {
        Statement: [
          {
            Effect: "Allow",
            Principal: { CW: "arn:aws:iam::static:role/static/inventory" },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${destination}/*`,
          },
        ],
      };
      const response = await rawRequest(port, {
        method: "PUT",
        path: `/${destination}?policy`,
        body: JSON.stringify(policy),
      });
      expect(response.status, response.text).toBe(204);
    }
    const full = {
      ...fullConfiguration("full", destination),
      OptionalFields: ["Size", "ETag"],
      IncludedObjectVersions: "All",
    };
    const many = Array.from({ length: 120 }, (_, n) =>
      minimalConfiguration(`m${String(n).padStart(3, "0")}`, destination),
    );
    await putMany(port, first, [full, ...many]);
    expect((await raw.put(port, second, "only", inventoryXml(minimalConfiguration("only", destination)))).status).toBe(
      204,
    );
    const before = { full: (await raw.get(port, first, "full")).text, page: (await raw.list(port, first)).text };

    ({ port, s3: client } = await start(options("restart")));
    const after = await raw.get(port, first, "full");
    expect(after.status).toBe(200);
    expect(after.text).toBe(before.full);
    expect((await raw.list(port, first)).text).toBe(before.page);
    const next = /<NextContinuationToken>([^<]+)</.exec(before.page)?.[1];
    expect((await raw.list(port, first, next)).text.match(/<Id>/g)).toHaveLength(21);
    expect(await listed(client, second)).toEqual([minimalConfiguration("only", destination)]);
  });
});

describe("on a dataDir emulator, DeleteBucket", () => {
  const options: EmulatorOptions = { dataDir: join(base, "delete"), inMemory: false };

  it("DeleteBucket then re-create: no configuration remains, before and after a restart; other buckets keep theirs", async () => {
    const doomed = bucketName("doomed");
    const other = bucketName("other");
    let { port, s3: client } = await start(options);
    for (const bucket of [doomed, other]) await createBucket(port, bucket);
    for (const bucket of [doomed, other]) {
      expect((await raw.put(port, bucket, "a", inventoryXml(minimalConfiguration("a", "dest-bucket")))).status).toBe(
        204,
      );
    }
    await recreate(port, client, doomed);
    expect(await listed(client, doomed)).toBeUndefined();
    expectS3Error(await raw.get(port, doomed, "a"), 404, "NoSuchConfiguration");
    expect(await listed(client, other)).toEqual([minimalConfiguration("a", "dest-bucket")]);

    expect((await raw.put(port, doomed, "b", inventoryXml(minimalConfiguration("b", "dest-bucket")))).status).toBe(204);
    ({ port, s3: client } = await start(options));
    expect((await listed(client, doomed))?.map((c) => c.Id)).toEqual(["b"]);
    await recreate(port, client, doomed);
    ({ port, s3: client } = await start(options));
    expect(await listed(client, doomed)).toBeUndefined();
    expect((await listed(client, other))?.map((c) => c.Id)).toEqual(["a"]);
  });
});

describe("in memory", () => {
  it("DeleteBucket then re-create leaves no configuration", async () => {
    const { port, s3: client } = await start({});
    const bucket = bucketName("mem");
    await createBucket(port, bucket);
    expect((await raw.put(port, bucket, "a", inventoryXml(minimalConfiguration("a", "dest-bucket")))).status).toBe(204);
    await recreate(port, client, bucket);
    expect(await listed(client, bucket)).toBeUndefined();
  });
});
