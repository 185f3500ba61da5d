// The limits of s3rver 3.7.1 that the plugin's README documents, shown as they are (aws-chunked uploads stored with
// their framing unless the SDK computes checksums only when required, ListObjectsV2 paging broken on Node >= 17
// without --openssl-legacy-provider, whole-second timestamps, no versioning), and the README's example, run as is.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { ALL_VERSIONS_WARNING, type InventoryRun } from "@inv-emulator/inventory";
import { S3RVER_ACCOUNT_ID } from "@inv-emulator/s3rver-plugin";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { expectSdkError } from "./support/policy-clients.js";
import { createBucket } from "./support/raw-http.js";
import {
  awsDestinationPolicy,
  downloadReport,
  putInventory,
  putPolicy,
  reportRows,
  runNow,
} from "./support/reports.js";
import { type RunningS3rver, s3rverClient, startS3rver } from "./support/s3rver.js";

const PLUGIN_DIR = fileURLToPath(new URL("../packages/s3rver-plugin/", import.meta.url));
const exec = promisify(execFile);

let s3rver: RunningS3rver;
let s3: S3Client;
const source = bucketName("src");
const dest = bucketName("dest");

beforeAll(async () => {
  s3rver = await startS3rver();
  s3 = s3rverClient(s3rver.endpoint);
  await createBucket(s3rver.port, source);
  await createBucket(s3rver.port, dest);
  await putPolicy(s3, dest, awsDestinationPolicy(dest, source, S3RVER_ACCOUNT_ID));
});
afterAll(async () => {
  s3?.destroy();
  await s3rver?.close();
});

/** The report rows of a fresh run of a Current CSV configuration with Size, ETag and LastModifiedDate. */
async function inventoryOf(all = false) {
  const id = `limits-${randomBytes(3).toString("hex")}`;
  await putInventory(s3, source, { id, dest, format: "CSV", all, fields: ["Size", "ETag", "LastModifiedDate"] });
  const run: InventoryRun = await runNow(s3rver.endpoint, { bucket: source, id });
  return { run, rows: (await reportRows(await downloadReport(s3, run))).flat() };
}

const body = async (key: string) =>
  (await (await s3.send(new GetObjectCommand({ Bucket: source, Key: key }))).Body?.transformToString()) ?? "";
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

it("the SDK's default checksums upload streams as aws-chunked, which s3rver stores framed; WHEN_REQUIRED does not", async () => {
  const stream = () => Readable.from([Buffer.from("hello")]);
  const byDefault = s3rverClient(s3rver.endpoint, { requestChecksumCalculation: "WHEN_SUPPORTED" });
  try {
    await byDefault.send(
      new PutObjectCommand({ Bucket: source, Key: "chunked/default.txt", Body: stream(), ContentLength: 5 }),
    );
    await byDefault.send(new PutObjectCommand({ Bucket: source, Key: "chunked/default-string.txt", Body: "hello" }));
  } finally {
    byDefault.destroy();
  }
  await s3.send(
    new PutObjectCommand({ Bucket: source, Key: "chunked/when-required.txt", Body: stream(), ContentLength: 5 }),
  );

  const framed = await body("chunked/default.txt");
  expect(framed).toMatch(/^5\r\nhello\r\n0\r\nx-amz-checksum-crc32:[A-Za-z0-9+/=]+\r\n\r\n$/);
  expect(await body("chunked/default-string.txt")).toBe("hello");
  expect(await body("chunked/when-required.txt")).toBe("hello");
  // The report says what s3rver stored.
  const { rows } = await inventoryOf();
  const row = (key: string) => rows.find((r) => r.Key === key);
  expect(row("chunked/default.txt")).toMatchObject({ Size: framed.length, ETag: md5(framed) });
  expect(row("chunked/when-required.txt")).toMatchObject({ Size: 5, ETag: md5("hello") });
});

it("a truncated ListObjectsV2 is a 500 on Node >= 17, and pages with --openssl-legacy-provider", async () => {
  for (const key of ["page/1", "page/2"]) await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: key }));
  await expectSdkError(
    s3.send(new ListObjectsV2Command({ Bucket: source, Prefix: "page/", MaxKeys: 1 })),
    "InternalError",
    500,
  );

  // The same listing by a Node started with the legacy provider (s3rver's continuation tokens use DES).
  const script = `
    import S3rver from "s3rver";
    const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: ${JSON.stringify(s3rver.directory)} });
    const { port } = await server.run();
    const list = (token) => fetch("http://127.0.0.1:" + port + "/${source}?list-type=2&prefix=page/&max-keys=1" +
      (token ? "&continuation-token=" + encodeURIComponent(token) : "")).then((r) => r.text());
    const first = await list();
    const second = await list(/<NextContinuationToken>([^<]+)</.exec(first)[1]);
    console.log(JSON.stringify([first, second].map((page) => /<Key>([^<]+)</.exec(page)[1])));
    await server.close();`;
  const { stdout } = await exec(process.execPath, ["--openssl-legacy-provider", "--input-type=module", "-e", script], {
    cwd: PLUGIN_DIR,
  });
  expect(JSON.parse(stdout)).toEqual(["page/1", "page/2"]);
});

it("timestamps are whole seconds, in s3rver's answers and in reports", async () => {
  await s3.send(new PutObjectCommand({ Bucket: source, Key: "time.txt", Body: "now" }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: source, Key: "time.txt" }));
  const { rows } = await inventoryOf();
  const reported = rows.find((r) => r.Key === "time.txt")?.LastModifiedDate as number;
  expect(reported % 1000).toBe(0);
  expect(reported).toBe(head.LastModified?.getTime());
});

it("no versioning: PutBucketVersioning is taken for CreateBucket; All reports current objects and warns", async () => {
  const versioning = { Bucket: source, VersioningConfiguration: { Status: "Enabled" as const } };
  await expectSdkError(s3.send(new PutBucketVersioningCommand(versioning)), "BucketAlreadyExists", 409);
  const { run, rows } = await inventoryOf(true);
  expect(run.warnings).toEqual([ALL_VERSIONS_WARNING]);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.VersionId === "" && r.IsLatest === true && r.IsDeleteMarker === false)).toBe(true);
});

it("the README's example runs as written", async () => {
  const readme = readFileSync(join(PLUGIN_DIR, "README.md"), "utf8");
  const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1] as string;
  // Inside the package, so that `@inv-emulator/s3rver-plugin` (self-reference, built dist) and `s3rver` resolve.
  const file = join(PLUGIN_DIR, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, example);
  try {
    const { stdout } = await exec(process.execPath, [file], { cwd: PLUGIN_DIR });
    expect(stdout).toMatch(/^succeeded 1 source\/daily\/\d{4}-\d\d-\d\dT\d\d-\d\dZ\/manifest\.json\n$/);
  } finally {
    rmSync(file, { force: true });
  }
});
