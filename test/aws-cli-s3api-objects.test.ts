/**
 * The AWS CLI v2 (Debian, /usr/bin/aws 2.9.19) `s3api` object and listing operations over HTTP:
 * results are read with `--output json`, errors from the `(Code)` the CLI prints on stderr.
 * CLI 2.9 predates AWS_ENDPOINT_URL support, so every call passes --endpoint-url.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { awsCliCalls } from "./support/aws-cli.js";
import { md5Base64, md5Hex } from "./support/digests.js";
import { bucketName } from "./support/emulator.js";
import { putObjects } from "./support/sdk.js";
import { useEmulator, useTempDir } from "./support/suite.js";

const suite = useEmulator();
const tmp = useTempDir("aws-cli-s3api-");
const { api, errorOf, newBucket: newCliBucket } = awsCliCalls(suite);
const file = tmp.file;
const keysOf = (listing: { Contents?: { Key: string }[] }) => listing.Contents?.map((c) => c.Key);

/** A bucket made by the CLI, seeded through the SDK (faster than one CLI process per key); each body is "x". */
async function newBucket(label: string, keys: string[] = []): Promise<string> {
  const bucket = await newCliBucket(label);
  await putObjects(suite.s3, bucket, keys, { body: () => "x" });
  return bucket;
}

describe("aws s3api (CLI v2) objects", { timeout: 120_000 }, () => {
  it("put-object stores Content-MD5-checked bytes, metadata, content type, storage class and tags", async () => {
    const bucket = await newBucket("put");
    const content = "hello, put-object\n";
    const put = await api`put-object --bucket ${bucket} --key docs/put.txt --body ${file("put.txt", content)}
      --content-md5 ${md5Base64(content)} --metadata color=blue,shape=round --content-type text/x-custom
      --storage-class STANDARD_IA --tagging ${"team=infra&tier=2"}`;
    expect(put.ETag).toBe(`"${md5Hex(content)}"`);

    const head = await api`head-object --bucket ${bucket} --key docs/put.txt`;
    expect(head).toMatchObject({
      ContentLength: content.length,
      ETag: put.ETag,
      ContentType: "text/x-custom",
      StorageClass: "STANDARD_IA",
      Metadata: { color: "blue", shape: "round" },
    });
    const tags = await api`get-object-tagging --bucket ${bucket} --key docs/put.txt`;
    expect(tags.TagSet).toEqual([
      { Key: "team", Value: "infra" },
      { Key: "tier", Value: "2" },
    ]);
  });

  it("put-object with a wrong or malformed --content-md5 or a bad storage class fails and stores nothing", async () => {
    const bucket = await newBucket("md5");
    const body = file("md5.txt", "payload");
    const other = md5Base64("other");
    expect(await errorOf`put-object --bucket ${bucket} --key k --body ${body} --content-md5 ${other}`).toBe(
      "BadDigest",
    );
    expect(await errorOf`put-object --bucket ${bucket} --key k --body ${body} --content-md5 bm90LWFuLW1kNQ==`).toBe(
      "InvalidDigest",
    );
    expect(await errorOf`put-object --bucket ${bucket} --key k --body ${body} --storage-class PLATINUM`).toBe(
      "InvalidStorageClass",
    );
    expect(await errorOf`head-object --bucket ${bucket} --key k`).toBe("404");
  });

  it("get-object returns the bytes, a --range, and the codes for missing keys, bad ranges and preconditions", async () => {
    const bucket = await newBucket("get");
    await api`put-object --bucket ${bucket} --key digits --body ${file("digits", "0123456789abcdefghij")}`;
    const at = (name: string) => path.join(tmp.path, name);
    const [whole, part, suffix, never] = [at("whole"), at("part"), at("suffix"), at("never")];

    expect((await api`get-object --bucket ${bucket} --key digits ${whole}`).ContentLength).toBe(20);
    expect(fs.readFileSync(whole, "utf8")).toBe("0123456789abcdefghij");
    const ranged = await api`get-object --bucket ${bucket} --key digits --range bytes=5-9 ${part}`;
    expect(fs.readFileSync(part, "utf8")).toBe("56789");
    expect(ranged).toMatchObject({ ContentLength: 5, ContentRange: "bytes 5-9/20" });
    await api`get-object --bucket ${bucket} --key digits --range bytes=-3 ${suffix}`;
    expect(fs.readFileSync(suffix, "utf8")).toBe("hij");

    expect(await errorOf`get-object --bucket ${bucket} --key nope ${never}`).toBe("NoSuchKey");
    expect(await errorOf`get-object --bucket ${bucket} --key digits --range bytes=50-60 ${never}`).toBe("InvalidRange");
    expect(await errorOf`get-object --bucket ${bucket} --key digits --if-match ${'"0000"'} ${never}`).toBe(
      "PreconditionFailed",
    );
    expect(await errorOf`get-object --bucket ${bucketName("none")} --key digits ${never}`).toBe("NoSuchBucket");
    expect(fs.existsSync(never)).toBe(false);
  });

  it("head-object reports size, ETag, default content type and metadata; a missing key is a bare 404", async () => {
    const bucket = await newBucket("head");
    await api`put-object --bucket ${bucket} --key h --body ${file("h", "head me")} --metadata a=1`;
    const head = await api`head-object --bucket ${bucket} --key h`;
    expect(head).toMatchObject({ ContentLength: 7, ETag: `"${md5Hex("head me")}"`, Metadata: { a: "1" } });
    expect(head.ContentType).toBe("binary/octet-stream");
    // HEAD has no body, so the CLI can only show the status.
    expect(await errorOf`head-object --bucket ${bucket} --key missing`).toBe("404");
  });

  it("copy-object copies bytes and metadata, replaces metadata on REPLACE, and reports copy errors", async () => {
    const bucket = await newBucket("copy");
    const content = "copy source";
    await api`put-object --bucket ${bucket} --key src --body ${file("src", content)} --metadata origin=src
      --content-type text/plain`;

    const copied = await api`copy-object --bucket ${bucket} --key dst --copy-source ${bucket}/src`;
    expect(copied.CopyObjectResult.ETag).toBe(`"${md5Hex(content)}"`);
    const out = path.join(tmp.path, "dst.out");
    const got = await api`get-object --bucket ${bucket} --key dst ${out}`;
    expect(fs.readFileSync(out, "utf8")).toBe(content);
    expect(got).toMatchObject({ Metadata: { origin: "src" }, ContentType: "text/plain" });

    await api`copy-object --bucket ${bucket} --key dst2 --copy-source ${bucket}/src --metadata-directive REPLACE
      --metadata origin=replaced`;
    expect((await api`head-object --bucket ${bucket} --key dst2`).Metadata).toEqual({ origin: "replaced" });

    expect(await errorOf`copy-object --bucket ${bucket} --key x --copy-source ${bucket}/absent`).toBe("NoSuchKey");
    expect(await errorOf`copy-object --bucket ${bucket} --key src --copy-source ${bucket}/src`).toBe("InvalidRequest");
    expect(
      await errorOf`copy-object --bucket ${bucket} --key y --copy-source ${bucket}/src
      --copy-source-if-match ${'"abc"'}`,
    ).toBe("PreconditionFailed");
  });

  it("delete-object and delete-objects remove keys; deleting a missing key succeeds", async () => {
    const bucket = await newBucket("del", ["a", "b", "c", "d"]);
    await api`delete-object --bucket ${bucket} --key a`;
    await api`delete-object --bucket ${bucket} --key never-existed`;
    const loud = { Objects: [{ Key: "b" }, { Key: "c" }, { Key: "zz" }] };
    const result = await api`delete-objects --bucket ${bucket} --delete ${JSON.stringify(loud)}`;
    expect(result.Deleted.map((d: { Key: string }) => d.Key).sort()).toEqual(["b", "c", "zz"]);
    const quiet =
      await api`delete-objects --bucket ${bucket} --delete ${JSON.stringify({ Objects: [{ Key: "d" }], Quiet: true })}`;
    expect(quiet.Deleted).toBeUndefined();
    expect(keysOf(await api`list-objects-v2 --bucket ${bucket}`)).toBeUndefined();
  });
});

describe("aws s3api (CLI v2) listings", { timeout: 120_000 }, () => {
  const keys = ["a/1", "a/2", "a/b/3", "c", "d/4", "d/5", "e"];

  it("list-objects (v1) with --prefix and --delimiter, and paged with --page-size", async () => {
    const bucket = await newBucket("lv1", keys);
    const grouped = await api`list-objects --bucket ${bucket} --delimiter /`;
    expect(keysOf(grouped)).toEqual(["c", "e"]);
    expect(grouped.CommonPrefixes).toEqual([{ Prefix: "a/" }, { Prefix: "d/" }]);
    const under = await api`list-objects --bucket ${bucket} --prefix a/ --delimiter /`;
    expect(keysOf(under)).toEqual(["a/1", "a/2"]);
    expect(under.CommonPrefixes).toEqual([{ Prefix: "a/b/" }]);
    // Pages of 2 without a delimiter: the CLI resumes from the last key (S3 sends no NextMarker then).
    const paged = await api`list-objects --bucket ${bucket} --page-size 2`;
    expect(keysOf(paged)).toEqual(keys);
    expect(paged.Contents[0]).toMatchObject({ Size: 1, ETag: `"${md5Hex("x")}"`, StorageClass: "STANDARD" });
    // ListObjects (v1) always names the owner, the same canonical id ListBuckets gives.
    const { Owner } = await api`list-buckets`;
    expect(Owner.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(paged.Contents.map((c: { Owner: { ID: string } }) => c.Owner.ID)).toEqual(keys.map(() => Owner.ID));
  });

  it("list-objects-v2 pages with --page-size and --max-items/--starting-token, filters by prefix and delimiter", async () => {
    const bucket = await newBucket("lv2", keys);
    expect(keysOf(await api`list-objects-v2 --bucket ${bucket} --page-size 2`)).toEqual(keys);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const resume = token ? ["--starting-token", token] : [];
      const page = await api`list-objects-v2 --bucket ${bucket} --max-items 3 --page-size 2 ${resume}`;
      seen.push(...(keysOf(page) ?? []));
      token = page.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(keys);

    // One raw page at a time (--no-paginate): the response fields the paginator would hide.
    const first = await api`list-objects-v2 --bucket ${bucket} --prefix d/ --max-keys 1 --no-paginate`;
    expect(first).toMatchObject({ Prefix: "d/", MaxKeys: 1, KeyCount: 1, IsTruncated: true });
    expect(keysOf(first)).toEqual(["d/4"]);
    const token1 = first.NextContinuationToken;
    const second = await api`list-objects-v2 --bucket ${bucket} --prefix d/ --max-keys 1 --no-paginate
      --continuation-token ${token1}`;
    expect(second).toMatchObject({ KeyCount: 1, IsTruncated: false, ContinuationToken: token1 });
    expect(keysOf(second)).toEqual(["d/5"]);

    const grouped = await api`list-objects-v2 --bucket ${bucket} --delimiter / --page-size 1`;
    expect(keysOf(grouped)).toEqual(["c", "e"]);
    expect(grouped.CommonPrefixes).toEqual([{ Prefix: "a/" }, { Prefix: "d/" }]);
    expect(keysOf(await api`list-objects-v2 --bucket ${bucket} --start-after d/4`)).toEqual(["d/5", "e"]);
  });

  it("list-objects-v2 round-trips keys that need URL encoding (the CLI asks for encoding-type=url)", async () => {
    const odd = ["dir with space/ü+%.txt", "plus+sign", "amp&er=sand?"];
    const bucket = await newBucket("enc", odd);
    expect(keysOf(await api`list-objects-v2 --bucket ${bucket}`)).toEqual([...odd].sort());
    const grouped = await api`list-objects-v2 --bucket ${bucket} --delimiter /`;
    expect(grouped.CommonPrefixes).toEqual([{ Prefix: "dir with space/" }]);
  });

  it("list-objects-v2 on a missing bucket prints NoSuchBucket", async () => {
    expect(await errorOf`list-objects-v2 --bucket ${bucketName("gone")}`).toBe("NoSuchBucket");
  });
});
