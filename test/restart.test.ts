/**
 * Persistence: (a) a clean close and reopen of a data dir keeps every bucket, object, version, tag and pending
 * multipart upload; (b) `kill -9` of the CLI in the middle of large uploads loses only those uploads, and
 * the restarted server cleans `tmp/` and works. Nothing may be written outside the data dir.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { countStoredBlobs, type RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killIfRunning, startCliEmulator } from "./support/cli-process.js";
import { md5Hex, sha256Base64 } from "./support/digests.js";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";
import { uploadParts } from "./support/multipart.js";
import {
  createBucket,
  eventually,
  expectS3Error,
  expectServing,
  keyPath,
  listKeys,
  listTree,
  listVersions,
  putObject,
  RawConnection,
  rawRequest,
  requestHead,
  sleep,
} from "./support/raw-http.js";
import { getBytes } from "./support/sdk.js";

let base: string;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "inv-restart-"));
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(base, { recursive: true, force: true });
});

describe("(a) close and reopen in process", () => {
  const plain = bucketName("plain");
  const versioned = bucketName("versioned");
  const regional = bucketName("regional");
  const binary = randomBytes(300_000);
  const parts = [randomBytes(200_000), randomBytes(100_000)];
  let dataDir: string;
  let emulator: RunningEmulator;
  let client: S3Client;
  const state: Record<string, unknown> = {};

  async function open(): Promise<void> {
    emulator = await startTestEmulator({ dataDir, inMemory: false, minPartBytes: 1 });
    client = sdkClient(emulator.endpoint);
  }

  beforeAll(async () => {
    dataDir = join(base, "a", "data");
    await open();
    cleanups.push(() => emulator.close());
    await client.send(new CreateBucketCommand({ Bucket: plain }));
    await client.send(new CreateBucketCommand({ Bucket: versioned }));
    await client.send(
      new CreateBucketCommand({ Bucket: regional, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }),
    );
    await client.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }),
    );
    await client.send(
      new PutBucketTaggingCommand({ Bucket: plain, Tagging: { TagSet: [{ Key: "team", Value: "storage" }] } }),
    );
    await client.send(
      new PutObjectCommand({
        Bucket: plain,
        Key: "doc.txt",
        Body: "hello document",
        ContentType: "text/plain; charset=utf-8",
        CacheControl: "max-age=60",
        Metadata: { color: "blue" },
        Tagging: "a=1&b=2",
      }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: plain, Key: "dir/nested/binary.bin", Body: binary, ChecksumAlgorithm: "SHA256" }),
    );
    const ids: string[] = [];
    for (const body of ["v1", "v2"])
      ids.push((await client.send(new PutObjectCommand({ Bucket: versioned, Key: "v.txt", Body: body }))).VersionId!);
    ids.push((await client.send(new DeleteObjectCommand({ Bucket: versioned, Key: "v.txt" }))).VersionId!);
    ids.push((await client.send(new PutObjectCommand({ Bucket: versioned, Key: "v.txt", Body: "v3" }))).VersionId!);
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: versioned,
        Key: "v.txt",
        VersionId: ids[1],
        Tagging: { TagSet: [{ Key: "which", Value: "second" }] },
      }),
    );
    const pending = { ContentType: "application/x-pending", Metadata: { stage: "upload" } };
    const upload = await uploadParts({ s3: client, bucket: plain }, "pending.bin", parts, pending);
    Object.assign(state, {
      ids,
      uploadId: upload.uploadId,
      etags: upload.completed.map((part) => part.ETag),
      buckets: (await client.send(new ListBucketsCommand({}))).Buckets,
      plainListing: (await client.send(new ListObjectsV2Command({ Bucket: plain }))).Contents,
      versions: await listVersions(emulator.port, versioned),
    });
    await emulator.close();
    await open();
  });

  it("keeps the buckets with their creation dates, regions, versioning and tags", async () => {
    expect((await client.send(new ListBucketsCommand({}))).Buckets).toEqual(state.buckets);
    expect((await client.send(new GetBucketLocationCommand({ Bucket: regional }))).LocationConstraint).toBe(
      "eu-west-1",
    );
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: versioned }))).Status).toBe("Enabled");
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: plain }))).Status).toBeUndefined();
    expect((await client.send(new GetBucketTaggingCommand({ Bucket: plain }))).TagSet).toEqual([
      { Key: "team", Value: "storage" },
    ]);
  });

  it("keeps objects: bytes, ETags, dates, content headers, metadata, checksum and tags", async () => {
    expect((await client.send(new ListObjectsV2Command({ Bucket: plain }))).Contents).toEqual(state.plainListing);
    expect((await getBytes(client, plain, "doc.txt")).toString()).toBe("hello document");
    expect((await getBytes(client, plain, "dir/nested/binary.bin")).equals(binary)).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: plain, Key: "doc.txt" }));
    expect(head).toMatchObject({
      ContentType: "text/plain; charset=utf-8",
      CacheControl: "max-age=60",
      Metadata: { color: "blue" },
      ETag: `"${md5Hex("hello document")}"`,
    });
    const binaryHead = await client.send(
      new HeadObjectCommand({ Bucket: plain, Key: "dir/nested/binary.bin", ChecksumMode: "ENABLED" }),
    );
    expect(binaryHead.ChecksumSHA256).toBe(sha256Base64(binary));
    expect((await client.send(new GetObjectTaggingCommand({ Bucket: plain, Key: "doc.txt" }))).TagSet).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "2" },
    ]);
  });

  it("keeps every version in order, the delete marker and per-version tags; new versions go on top", async () => {
    const ids = state.ids as string[];
    expect(await listVersions(emulator.port, versioned)).toEqual(state.versions);
    expect((await listVersions(emulator.port, versioned)).map((v) => v.versionId)).toEqual([...ids].reverse());
    expect((await getBytes(client, versioned, "v.txt")).toString()).toBe("v3");
    expect((await getBytes(client, versioned, "v.txt", ids[0])).toString()).toBe("v1");
    expect((await getBytes(client, versioned, "v.txt", ids[1])).toString()).toBe("v2");
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: versioned, Key: "v.txt", VersionId: ids[1] }));
    expect(tags.TagSet).toEqual([{ Key: "which", Value: "second" }]);
    // The version counter must continue after the stored ones, or a new version could sort below old ones.
    const v4 = (await client.send(new PutObjectCommand({ Bucket: versioned, Key: "v.txt", Body: "v4" }))).VersionId!;
    const after = await listVersions(emulator.port, versioned);
    expect(after.map((v) => v.versionId)).toEqual([v4, ...[...ids].reverse()]);
    expect(after.filter((v) => v.isLatest).map((v) => v.versionId)).toEqual([v4]);
    expect((await getBytes(client, versioned, "v.txt")).toString()).toBe("v4");
  });

  it("keeps the pending multipart upload and its parts, and it completes after the restart", async () => {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: plain }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([["pending.bin", state.uploadId]]);
    const listed = await client.send(
      new ListPartsCommand({ Bucket: plain, Key: "pending.bin", UploadId: state.uploadId as string }),
    );
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, (state.etags as string[])[0], parts[0]!.length],
      [2, (state.etags as string[])[1], parts[1]!.length],
    ]);
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: plain,
        Key: "pending.bin",
        UploadId: state.uploadId as string,
        MultipartUpload: { Parts: (state.etags as string[]).map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    expect(done.ETag).toMatch(/-2"$/);
    expect((await getBytes(client, plain, "pending.bin")).equals(Buffer.concat(parts))).toBe(true);
    const head = await client.send(new HeadObjectCommand({ Bucket: plain, Key: "pending.bin" }));
    expect(head).toMatchObject({ ContentType: "application/x-pending", Metadata: { stage: "upload" } });
    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: plain }))).Uploads ?? []).toEqual([]);
  });

  it("wrote nothing outside the data dir", () => {
    expect(listTree(join(base, "a"), (rel) => rel === "data")).toEqual([]);
  });
});

/** The CLI server on `dataDir`, killed at the end of the file if still running. */
async function startCli(dataDir: string, cwd: string) {
  const started = await startCliEmulator(dataDir, cwd);
  cleanups.push(() => killIfRunning(started.child));
  return started;
}

describe("(b) kill -9 of the CLI during large uploads", () => {
  const bucket = bucketName("crash");
  const LARGE = 50 * 1024 * 1024;
  const completed = new Map<string, Buffer>([
    ["small-1.txt", Buffer.from("first small object")],
    ["small-2.bin", randomBytes(64 * 1024)],
    ["nested/small-3.bin", randomBytes(1024 * 1024)],
    ["overwritten.bin", Buffer.from("the version that must survive")],
  ]);
  const interrupted = ["large-0.bin", "large-1.bin", "large-2.bin", "overwritten.bin"];
  let dataDir: string;
  let cwd: string;
  let port: number;
  let uploadId: string;
  let tmpBeforeRestart: string[] = [];

  beforeAll(async () => {
    dataDir = join(base, "b", "data");
    cwd = join(base, "b", "cwd");
    mkdirSync(cwd, { recursive: true });
    const first = await startCli(dataDir, cwd);
    await createBucket(first.port, bucket);
    for (const [key, body] of completed) await putObject(first.port, bucket, key, body);
    const created = await rawRequest(first.port, { method: "POST", path: `${keyPath(bucket, "multi.bin")}?uploads` });
    uploadId = /<UploadId>([^<]+)</.exec(created.text)![1]!;

    // Four 50 MB PUTs and one 50 MB part, written slowly; none can finish before the kill.
    const paths = [
      ...interrupted.map((key) => keyPath(bucket, key)),
      `${keyPath(bucket, "multi.bin")}?partNumber=1&uploadId=${uploadId}`,
    ];
    const connections = await Promise.all(paths.map(() => RawConnection.open(first.port)));
    await Promise.all(
      connections.map((c, i) =>
        c.write(requestHead(first.port, { method: "PUT", path: paths[i]!, headers: { "content-length": LARGE } })),
      ),
    );
    const tmpBytes = () =>
      readdirSync(join(dataDir, "tmp")).reduce((sum, name) => sum + statSync(join(dataDir, "tmp", name)).size, 0);
    let sent = 0;
    while (tmpBytes() < paths.length * 512 * 1024 || readdirSync(join(dataDir, "tmp")).length < paths.length) {
      await Promise.all(connections.map((c) => c.write(randomBytes(128 * 1024))));
      sent += 128 * 1024;
      expect(sent).toBeLessThan(LARGE / 4);
      await sleep(20);
    }
    first.child.kill("SIGKILL");
    await new Promise((done) => first.child.once("exit", done));
    for (const c of connections) c.destroy();
    tmpBeforeRestart = readdirSync(join(dataDir, "tmp"));
    port = (await startCli(dataDir, cwd)).port;
  });

  it("the kill left partial uploads in tmp/ (so the cleanup below is really exercised)", () => {
    expect(tmpBeforeRestart.length).toBe(interrupted.length + 1);
  });

  it("the restarted server removed every tmp/ leftover", () => {
    expect(readdirSync(join(dataDir, "tmp"))).toEqual([]);
  });

  it("completed objects are intact, including the one an interrupted upload was overwriting", async () => {
    for (const [key, body] of completed) await expectServing(port, bucket, key, body);
    const head = await rawRequest(port, { method: "HEAD", path: keyPath(bucket, "overwritten.bin") });
    expect(head.headers.etag).toBe(`"${md5Hex(completed.get("overwritten.bin")!)}"`);
  });

  it("no interrupted upload is visible: GET 404, not listed, no part, no blob", async () => {
    for (const key of interrupted.filter((k) => !completed.has(k))) {
      expectS3Error(await rawRequest(port, { method: "GET", path: keyPath(bucket, key) }), 404, "NoSuchKey");
    }
    expect((await listKeys(port, bucket)).sort()).toEqual([...completed.keys()].sort());
    const partsListing = await rawRequest(port, {
      method: "GET",
      path: `${keyPath(bucket, "multi.bin")}?uploadId=${uploadId}`,
    });
    expect(partsListing.status).toBe(200);
    expect(partsListing.text).not.toContain("<Part>");
    expect(countStoredBlobs(dataDir)).toBe(completed.size);
  });

  it("the server works normally: new objects, and the surviving multipart upload completes", async () => {
    await putObject(port, bucket, "after-restart.txt", "fresh");
    await expectServing(port, bucket, "after-restart.txt", "fresh");
    const partPath = `${keyPath(bucket, "multi.bin")}?partNumber=1&uploadId=${uploadId}`;
    const part = await rawRequest(port, { method: "PUT", path: partPath, body: "only part" });
    expect(part.status).toBe(200);
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.headers.etag}</ETag></Part></CompleteMultipartUpload>`;
    const done = await rawRequest(port, {
      method: "POST",
      path: `${keyPath(bucket, "multi.bin")}?uploadId=${uploadId}`,
      body,
    });
    expect(done.status, done.text).toBe(200);
    await expectServing(port, bucket, "multi.bin", "only part");
    expect(await eventually(() => readdirSync(join(dataDir, "tmp")).length === 0)).toBe(true);
  });

  it("nothing was written outside the data dir (nor into the working directory)", () => {
    expect(listTree(join(base, "b"), (rel) => rel === "data")).toEqual(["cwd/"]);
  });
});
