import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getContainerRuntimeClient, Network, type StartedNetwork, Wait } from "testcontainers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { InvEmulatorContainer } from "./inv-emulator-container.js";
import { InvEmulatorControlError, type StartedInvEmulatorContainer } from "./started-inv-emulator-container.js";
import { describeWithDocker, TEST_IMAGE } from "./test-support.js";

const fresh = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

async function readBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

/** The destination policy Amazon S3 documents for inventory reports (spec/inventory.md §2.12). */
function destinationPolicy(destination: string, source: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "InventoryReports",
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${destination}/*`,
        Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${source}` } },
      },
    ],
  });
}

describeWithDocker("InvEmulatorContainer", () => {
  let emulator: StartedInvEmulatorContainer;
  let s3: S3Client;

  beforeAll(async () => {
    emulator = await new InvEmulatorContainer(TEST_IMAGE).start();
    s3 = new S3Client(emulator.getClientConfig());
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.stop();
  });

  it("serves S3 to the AWS SDK and runs an inventory through the control route", async () => {
    const source = fresh("source");
    const destination = fresh("reports");
    await s3.send(new CreateBucketCommand({ Bucket: source }));
    await s3.send(new CreateBucketCommand({ Bucket: destination }));
    for (const key of ["a.txt", "photos/cat.jpg", "docs/résumé.pdf"]) {
      await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: `content of ${key}` }));
    }
    await s3.send(new PutBucketPolicyCommand({ Bucket: destination, Policy: destinationPolicy(destination, source) }));
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: source,
        Id: "daily",
        InventoryConfiguration: {
          Id: "daily",
          IsEnabled: true,
          IncludedObjectVersions: "Current",
          Schedule: { Frequency: "Daily" },
          OptionalFields: ["Size", "ETag"],
          Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${destination}`, Format: "CSV", Prefix: "inv" } },
        },
      }),
    );

    const run = await emulator.runInventory({ bucket: source, id: "daily", at: "2026-03-01T01:00:00Z" });
    expect(run).toMatchObject({ status: "succeeded", rowCount: 3, destinationBucket: destination });
    expect(run.manifestKey).toBe(`inv/${source}/daily/2026-03-01T01-00Z/manifest.json`);

    const manifest = JSON.parse((await readBytes(s3, destination, run.manifestKey as string)).toString("utf8"));
    expect(manifest).toMatchObject({
      sourceBucket: source,
      destinationBucket: `arn:aws:s3:::${destination}`,
      fileFormat: "CSV",
    });
    expect(manifest.fileSchema).toBe("Bucket, Key, Size, ETag");
    const csv = manifest.files
      .map((file: { key: string }) => file.key)
      .map(async (key: string) => gunzipSync(await readBytes(s3, destination, key)).toString("utf8"));
    const rows = (await Promise.all(csv)).join("").trim().split("\n");
    expect(rows.map((row) => row.split(",")[1])).toEqual([
      '"a.txt"',
      '"docs/r%C3%A9sum%C3%A9.pdf"',
      '"photos/cat.jpg"',
    ]);
    expect(await emulator.getInventoryRuns({ bucket: source })).toHaveLength(1);
  });

  it("runs as node, with no compilers and only the binary of better-sqlite3's build", async () => {
    // The Dockerfile installs python3/make/g++ in its first stage only, and drops what only a compile needs.
    const script = [
      "id -un",
      "for tool in python3 make g++ cc; do command -v $tool; done",
      "cd /app/node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3 && find build deps src 2>/dev/null",
    ].join("; ");
    const result = await emulator.exec(["sh", "-c", script]);
    expect(result.stdout.trim().split("\n")).toEqual([
      "node",
      "build",
      "build/Release",
      "build/Release/better_sqlite3.node",
    ]);
  });

  it("reports control-route refusals as InvEmulatorControlError with the emulator's code", async () => {
    const error = await emulator.runInventory({ bucket: fresh("missing"), id: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvEmulatorControlError);
    expect(error).toMatchObject({ status: 404, code: "NoSuchBucket" });
  });

  it("answers path-style under a network alias: the alias is not taken for a bucket", async () => {
    const network: StartedNetwork = await new Network().start();
    const aliased = await new InvEmulatorContainer(TEST_IMAGE)
      .withInMemory()
      .withNetwork(network)
      .withNetworkAliases("s3")
      .start();
    try {
      // Another process on the network, with the SDK the image ships, addressing the emulator as http://s3:4599.
      const script = [
        'const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } = require("@aws-sdk/client-s3");',
        'const s3 = new S3Client({ endpoint: "http://s3:4599", region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "t", secretAccessKey: "t" } });',
        '(async () => { await s3.send(new CreateBucketCommand({ Bucket: "via-alias" }));',
        'await s3.send(new PutObjectCommand({ Bucket: "via-alias", Key: "k", Body: "through the alias" }));',
        'const o = await s3.send(new GetObjectCommand({ Bucket: "via-alias", Key: "k" }));',
        "process.stdout.write(await o.Body.transformToString()); })().catch((e) => { console.error(e); process.exit(1); });",
      ].join("\n");
      const result = await aliased.exec(["node", "--no-warnings", "-e", script], { workingDir: "/app" });
      expect(result).toMatchObject({ exitCode: 0, stdout: "through the alias" });
    } finally {
      await aliased.stop();
      await network.stop();
    }
  });

  it("passes withConfig as --config: strict authentication with a configured identity", async () => {
    const alice = {
      accessKeyId: "AKIDALICE",
      secretAccessKey: "alice-secret",
      arn: "arn:aws:iam::111122223333:user/alice",
    };
    const strict = await new InvEmulatorContainer(TEST_IMAGE)
      .withInMemory()
      .withConfig({ identities: [alice], strictAuth: true })
      .start();
    try {
      const config = strict.getClientConfig();
      const asAlice = new S3Client({ ...config, credentials: alice });
      await asAlice.send(new CreateBucketCommand({ Bucket: "alices" }));
      const stranger = new S3Client(config); // the default dummy keys, unknown to this emulator
      await expect(stranger.send(new CreateBucketCommand({ Bucket: "strangers" }))).rejects.toMatchObject({
        name: "InvalidAccessKeyId",
      });
      asAlice.destroy();
      stranger.destroy();
    } finally {
      await strict.stop();
    }
  });

  it("has a HEALTHCHECK that turns healthy (coreweave profile, in memory)", async () => {
    const started = await new InvEmulatorContainer(TEST_IMAGE)
      .withProfile("coreweave")
      .withInMemory()
      .withWaitStrategy(Wait.forHealthCheck())
      .start();
    try {
      const client = await getContainerRuntimeClient();
      const inspect = await client.container.inspect(client.container.getById(started.getId()));
      expect(inspect.State.Health?.Status).toBe("healthy");
      expect(inspect.Config.User).toBe("1000:1000");
      const health = await (await fetch(`${started.getEndpoint()}/_emulator/health`)).json();
      expect(health).toEqual({ status: "ok", profile: "coreweave" });
      expect(started.getProfile()).toBe("coreweave");
    } finally {
      await started.stop();
    }
  });
});
