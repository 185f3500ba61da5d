/**
 * The AWS CLI v2 (Debian, /usr/bin/aws 2.9.19) high-level `s3` commands against the engine over HTTP.
 * CLI 2.9 predates AWS_ENDPOINT_URL support, so every call passes --endpoint-url.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { awsCliCalls } from "./support/aws-cli.js";
import { md5Hex, multipartEtag, sha256Hex, splitParts } from "./support/digests.js";
import { bucketName } from "./support/emulator.js";
import { putObjects } from "./support/sdk.js";
import { useEmulator, useTempDir } from "./support/suite.js";

const MiB = 1024 * 1024;
const suite = useEmulator();
const tmp = useTempDir("aws-cli-s3-").path;
const { cli, api } = awsCliCalls(suite);

/** Creates a bucket with the CLI and puts `keys` (body = key) through the SDK, several requests at a time. */
async function seed(bucket: string, keys: string[]): Promise<void> {
  await cli(["s3", "mb", `s3://${bucket}`]);
  await putObjects(suite.s3, bucket, keys);
}

describe("aws s3 (CLI v2) buckets", { timeout: 120_000 }, () => {
  it("mb creates a bucket that ls lists, rb removes it", async () => {
    const bucket = bucketName("mb");
    const made = await cli(["s3", "mb", `s3://${bucket}`]);
    expect(made.stdout).toContain(`make_bucket: ${bucket}`);
    const listed = await cli(["s3", "ls"]);
    expect(listed.stdout).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${bucket}$`, "m"));
    expect(suite.emulator.engine.metadata.getBucket(bucket)).toBeDefined();

    const removed = await cli(["s3", "rb", `s3://${bucket}`]);
    expect(removed.stdout).toContain(`remove_bucket: ${bucket}`);
    expect((await cli(["s3", "ls"])).stdout).not.toContain(bucket);
    expect(suite.emulator.engine.metadata.getBucket(bucket)).toBeUndefined();
  });

  it("mb with an invalid name prints InvalidBucketName", async () => {
    const result = await cli(["s3", "mb", "s3://Invalid_Bucket"], { allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("(InvalidBucketName)");
    expect(suite.emulator.engine.metadata.getBucket("Invalid_Bucket")).toBeUndefined();
  });

  it("rb of a non-empty bucket prints BucketNotEmpty; rb --force empties and removes it", async () => {
    const bucket = bucketName("rb");
    await seed(bucket, ["one", "dir/two"]);
    const refused = await cli(["s3", "rb", `s3://${bucket}`], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("(BucketNotEmpty)");
    expect(suite.emulator.engine.metadata.getBucket(bucket)).toBeDefined();

    await cli(["s3", "rb", "--force", `s3://${bucket}`]);
    expect(suite.emulator.engine.metadata.getBucket(bucket)).toBeUndefined();
  });

  it("ls of a missing bucket prints NoSuchBucket", async () => {
    const result = await cli(["s3", "ls", `s3://${bucketName("missing")}`], { allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("(NoSuchBucket)");
  });
});

describe("aws s3 (CLI v2) objects", { timeout: 120_000 }, () => {
  it("cp uploads a 20 MB file as 3 parts and downloads it byte for byte", async () => {
    const bucket = bucketName("cp");
    await cli(["s3", "mb", `s3://${bucket}`]);
    const data = randomBytes(20 * MiB);
    const source = path.join(tmp, "big.bin");
    fs.writeFileSync(source, data);

    const up = await cli(["s3", "cp", source, `s3://${bucket}/data/big.bin`, "--metadata", "origin=cli"]);
    expect(up.stdout).toContain(`upload: `);
    type Head = { ETag: string; ContentLength: number; Metadata: Record<string, string> };
    const head = await api<Head>`head-object --bucket ${bucket} --key data/big.bin`;
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toMatch(/-3"$/);
    // The CLI's default multipart_chunksize is 8 MiB: parts of 8, 8 and 4 MiB.
    expect(head.ETag).toBe(multipartEtag(splitParts(data, 8 * MiB)));
    expect(head.Metadata).toEqual({ origin: "cli" });

    const target = path.join(tmp, "big.down");
    await cli(["s3", "cp", `s3://${bucket}/data/big.bin`, target]);
    expect(sha256Hex(fs.readFileSync(target))).toBe(sha256Hex(data));

    // Bucket to bucket: HeadObject, then UploadPartCopy in 8 MiB ranges, so the same parts and ETag.
    await cli(["s3", "cp", `s3://${bucket}/data/big.bin`, `s3://${bucket}/data/copy.bin`]);
    const copy = await api<Head>`head-object --bucket ${bucket} --key data/copy.bin`;
    expect(copy).toMatchObject({ ETag: head.ETag, ContentLength: data.length, Metadata: { origin: "cli" } });
    // A presigned GET (query-string SigV4) serves the same bytes to a plain HTTP client.
    const url = (await cli(["s3", "presign", `s3://${bucket}/data/copy.bin`, "--expires-in", "300"])).stdout.trim();
    expect(url).toContain("X-Amz-Signature=");
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(sha256Hex(Buffer.from(await response.arrayBuffer()))).toBe(sha256Hex(data));
  });

  it("cp --recursive and mv move a tree; a GLACIER object cannot be downloaded", async () => {
    const bucket = bucketName("tree");
    await cli(["s3", "mb", `s3://${bucket}`]);
    const local = path.join(tmp, "tree");
    fs.mkdirSync(path.join(local, "x"), { recursive: true });
    fs.writeFileSync(path.join(local, "a"), "file a");
    fs.writeFileSync(path.join(local, "x", "b"), "file b");
    await cli(["s3", "cp", "--recursive", local, `s3://${bucket}/tree`]);
    await cli(["s3", "mv", "--recursive", `s3://${bucket}/tree`, `s3://${bucket}/moved`]);
    const keys = await api<{ Contents: { Key: string }[] }>`list-objects-v2 --bucket ${bucket}`;
    expect(keys.Contents.map((c) => c.Key)).toEqual(["moved/a", "moved/x/b"]);
    const down = path.join(tmp, "tree-down");
    await cli(["s3", "cp", "--recursive", `s3://${bucket}/moved`, down]);
    expect(fs.readFileSync(path.join(down, "x", "b"), "utf8")).toBe("file b");

    await cli(["s3", "cp", path.join(local, "a"), `s3://${bucket}/cold`, "--storage-class", "GLACIER"]);
    const cold = await cli(["s3", "cp", `s3://${bucket}/cold`, "-"], { allowFailure: true });
    expect(cold.code).not.toBe(0);
    expect(cold.stderr).toContain("(InvalidObjectState)");
  });

  it("cp of a small file is a single PUT whose ETag is the md5; cp of a missing key fails", async () => {
    const bucket = bucketName("cps");
    await cli(["s3", "mb", `s3://${bucket}`]);
    const data = Buffer.from("small file\n");
    const source = path.join(tmp, "small.txt");
    fs.writeFileSync(source, data);
    await cli(["s3", "cp", source, `s3://${bucket}/small.txt`]);
    const head = await api<{ ETag: string; ContentType: string }>`head-object --bucket ${bucket} --key small.txt`;
    expect(head.ETag).toBe(`"${md5Hex(data)}"`);
    expect(head.ContentType).toBe("text/plain"); // guessed by the CLI from the extension, stored by the engine

    const down = await cli(["s3", "cp", `s3://${bucket}/small.txt`, "-"]);
    expect(down.stdout).toBe(data.toString());
    const missing = await cli(["s3", "cp", `s3://${bucket}/nope.txt`, path.join(tmp, "nope")], { allowFailure: true });
    expect(missing.code).not.toBe(0);
    // cp asks HeadObject first; a HEAD error has no body, so the CLI shows the status.
    expect(missing.stderr).toContain("An error occurred (404) when calling the HeadObject operation");
  });

  it("ls shows common prefixes and keys with sizes", async () => {
    const bucket = bucketName("ls");
    await seed(bucket, ["top.txt", "dir/a.txt", "dir/b.txt", "other/c.txt"]);
    const root = (await cli(["s3", "ls", `s3://${bucket}/`])).stdout;
    expect(root).toMatch(/^\s+PRE dir\/$/m);
    expect(root).toMatch(/^\s+PRE other\/$/m);
    expect(root).toMatch(/ 7 top\.txt$/m);
    expect(root).not.toContain("a.txt");
    const dir = (await cli(["s3", "ls", `s3://${bucket}/dir/`])).stdout;
    expect(
      dir
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/).at(-1)),
    ).toEqual(["a.txt", "b.txt"]);
  });

  it("ls --recursive pages through 1,500 keys", async () => {
    const bucket = bucketName("many");
    const keys = Array.from({ length: 1500 }, (_, i) => `k/${String(i).padStart(5, "0")}`);
    await seed(bucket, keys);
    const { stdout } = await cli(["s3", "ls", "--recursive", `s3://${bucket}`]);
    const listed = stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/).at(-1));
    expect(listed).toHaveLength(1500);
    expect(listed).toEqual(keys);
  });

  it("sync uploads, skips unchanged files, deletes with --delete and syncs back down", async () => {
    const bucket = bucketName("sync");
    await cli(["s3", "mb", `s3://${bucket}`]);
    const local = path.join(tmp, "sync-src");
    fs.mkdirSync(path.join(local, "sub"), { recursive: true });
    fs.writeFileSync(path.join(local, "a.txt"), "alpha");
    fs.writeFileSync(path.join(local, "sub", "b.bin"), randomBytes(1000));

    const first = await cli(["s3", "sync", local, `s3://${bucket}/site`]);
    expect(first.stdout.match(/upload:/g)).toHaveLength(2);
    const again = await cli(["s3", "sync", local, `s3://${bucket}/site`]);
    expect(again.stdout).not.toContain("upload:"); // sizes and times match what ListObjectsV2 reported

    fs.writeFileSync(path.join(local, "a.txt"), "alpha, longer");
    fs.rmSync(path.join(local, "sub", "b.bin"));
    fs.writeFileSync(path.join(local, "c.txt"), "gamma");
    const third = await cli(["s3", "sync", "--delete", local, `s3://${bucket}/site`]);
    expect(third.stdout).toContain("upload: ");
    expect(third.stdout).toContain(`delete: s3://${bucket}/site/sub/b.bin`);

    const down = path.join(tmp, "sync-down");
    await cli(["s3", "sync", `s3://${bucket}/site`, down]);
    expect(fs.readdirSync(down).sort()).toEqual(["a.txt", "c.txt"]);
    expect(fs.readFileSync(path.join(down, "a.txt"), "utf8")).toBe("alpha, longer");
    expect(fs.readFileSync(path.join(down, "c.txt"), "utf8")).toBe("gamma");
  });

  it("rm --recursive deletes everything under a prefix and nothing else", async () => {
    const bucket = bucketName("rm");
    await seed(bucket, ["keep.txt", "gone/1", "gone/2", "gone/deep/3", "gonefishing"]);
    const removed = await cli(["s3", "rm", "--recursive", `s3://${bucket}/gone/`]);
    expect(removed.stdout.match(/delete:/g)).toHaveLength(3);
    const left = await api<{ Contents: { Key: string }[] }>`list-objects-v2 --bucket ${bucket}`;
    expect(left.Contents.map((c) => c.Key)).toEqual(["gonefishing", "keep.txt"]);

    await cli(["s3", "rm", "--recursive", `s3://${bucket}`]);
    expect(await api`list-objects-v2 --bucket ${bucket}`).not.toHaveProperty("Contents");
    await cli(["s3", "rb", `s3://${bucket}`]);
    expect(suite.emulator.engine.metadata.getBucket(bucket)).toBeUndefined();
  });
});
