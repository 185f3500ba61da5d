/**
 * The AWS CLI v2 (Debian, /usr/bin/aws 2.9.19) `s3api` bucket operations over HTTP: create/delete/head-bucket,
 * get-bucket-location, bucket and object tagging, versioning with list-object-versions.
 * CLI 2.9 predates AWS_ENDPOINT_URL support, so every call passes --endpoint-url.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { awsCliCalls } from "./support/aws-cli.js";
import { bucketName } from "./support/emulator.js";
import { useEmulator, useTempDir } from "./support/suite.js";

const suite = useEmulator();
const tmp = useTempDir("aws-cli-buckets-");
const { api, errorOf, newBucket } = awsCliCalls(suite);
const file = tmp.file;

/** The body of an object read by get-object (optionally a version), through a temp file. */
async function read(bucket: string, key: string, versionId?: string): Promise<string> {
  const out = path.join(tmp.path, `read-${Math.random().toString(36).slice(2)}`);
  await api`get-object --bucket ${bucket} --key ${key} ${versionId ? ["--version-id", versionId] : []} ${out}`;
  return fs.readFileSync(out, "utf8");
}

describe("aws s3api (CLI v2) buckets", { timeout: 120_000 }, () => {
  it("get-bucket-location is null for us-east-1, the constraint otherwise; head-bucket gives 200 or 404", async () => {
    const east = await newBucket("loc");
    expect(await api`get-bucket-location --bucket ${east}`).toEqual({ LocationConstraint: null });
    const west = bucketName("locw");
    await api`create-bucket --bucket ${west} --create-bucket-configuration LocationConstraint=eu-west-1`;
    expect(await api`get-bucket-location --bucket ${west}`).toEqual({ LocationConstraint: "eu-west-1" });

    expect(await api`head-bucket --bucket ${east}`).toEqual({});
    expect(await errorOf`head-bucket --bucket ${bucketName("absent")}`).toBe("404");
    expect(await errorOf`get-bucket-location --bucket ${bucketName("absent")}`).toBe("NoSuchBucket");
  });

  it("create-bucket: invalid name, existing bucket outside us-east-1; delete-bucket of a non-empty bucket", async () => {
    expect(await errorOf`create-bucket --bucket ab`).toBe("InvalidBucketName");
    expect(await errorOf`create-bucket --bucket Upper.Case`).toBe("InvalidBucketName");
    const west = bucketName("dup");
    await api`create-bucket --bucket ${west} --create-bucket-configuration LocationConstraint=eu-west-1`;
    expect(
      await errorOf`create-bucket --bucket ${west} --create-bucket-configuration LocationConstraint=eu-west-1`,
    ).toBe("BucketAlreadyOwnedByYou");

    const full = await newBucket("full");
    await api`put-object --bucket ${full} --key k --body ${file("k", "k")}`;
    expect(await errorOf`delete-bucket --bucket ${full}`).toBe("BucketNotEmpty");
    await api`delete-object --bucket ${full} --key k`;
    await api`delete-bucket --bucket ${full}`;
    expect(await errorOf`head-bucket --bucket ${full}`).toBe("404");
    expect(await errorOf`delete-bucket --bucket ${full}`).toBe("NoSuchBucket");
  });

  it("put/get/delete-bucket-tagging; get without tags is NoSuchTagSet", async () => {
    const bucket = await newBucket("btag");
    expect(await errorOf`get-bucket-tagging --bucket ${bucket}`).toBe("NoSuchTagSet");
    const tagSet = [
      { Key: "env", Value: "test" },
      { Key: "owner", Value: "qa team" },
    ];
    await api`put-bucket-tagging --bucket ${bucket} --tagging ${JSON.stringify({ TagSet: tagSet })}`;
    expect((await api`get-bucket-tagging --bucket ${bucket}`).TagSet).toEqual(tagSet);
    await api`delete-bucket-tagging --bucket ${bucket}`;
    expect(await errorOf`get-bucket-tagging --bucket ${bucket}`).toBe("NoSuchTagSet");
  });

  it("put/get/delete-object-tagging replace the tag set; a missing key is NoSuchKey, a duplicate key InvalidTag", async () => {
    const bucket = await newBucket("otag");
    await api`put-object --bucket ${bucket} --key o --body ${file("o", "o")} --tagging a=1`;
    expect((await api`get-object-tagging --bucket ${bucket} --key o`).TagSet).toEqual([{ Key: "a", Value: "1" }]);
    const tagSet = [
      { Key: "b", Value: "2" },
      { Key: "c", Value: "" },
    ];
    await api`put-object-tagging --bucket ${bucket} --key o --tagging ${JSON.stringify({ TagSet: tagSet })}`;
    expect((await api`get-object-tagging --bucket ${bucket} --key o`).TagSet).toEqual(tagSet);
    expect((await api`get-object --bucket ${bucket} --key o ${path.join(tmp.path, "o.out")}`).TagCount).toBe(2);
    await api`delete-object-tagging --bucket ${bucket} --key o`;
    expect((await api`get-object-tagging --bucket ${bucket} --key o`).TagSet).toEqual([]);
    expect(await errorOf`get-object-tagging --bucket ${bucket} --key missing`).toBe("NoSuchKey");
    const duplicate = {
      TagSet: [
        { Key: "d", Value: "1" },
        { Key: "d", Value: "2" },
      ],
    };
    expect(await errorOf`put-object-tagging --bucket ${bucket} --key o --tagging ${JSON.stringify(duplicate)}`).toBe(
      "InvalidTag",
    );
  });
});

describe("aws s3api (CLI v2) versioning", { timeout: 120_000 }, () => {
  it("put/get-bucket-versioning, versions and delete markers in list-object-versions, reads by --version-id", async () => {
    const bucket = await newBucket("ver");
    expect(await api`get-bucket-versioning --bucket ${bucket}`).toEqual({});
    await api`put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`;
    expect(await api`get-bucket-versioning --bucket ${bucket}`).toEqual({ Status: "Enabled" });

    const v1 = await api`put-object --bucket ${bucket} --key doc --body ${file("v1", "version one")}`;
    const v2 = await api`put-object --bucket ${bucket} --key doc --body ${file("v2", "version two")}`;
    expect(v1.VersionId).toBeTruthy();
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const deleted = await api`delete-object --bucket ${bucket} --key doc`;
    expect(deleted.DeleteMarker).toBe(true);

    const versions = await api`list-object-versions --bucket ${bucket}`;
    const pairs = versions.Versions.map((v: { VersionId: string; IsLatest: boolean }) => [v.VersionId, v.IsLatest]);
    expect(pairs).toEqual([
      [v2.VersionId, false],
      [v1.VersionId, false],
    ]);
    expect(versions.DeleteMarkers).toHaveLength(1);
    expect(versions.DeleteMarkers[0]).toMatchObject({ Key: "doc", VersionId: deleted.VersionId, IsLatest: true });

    expect(await errorOf`get-object --bucket ${bucket} --key doc ${path.join(tmp.path, "dm.out")}`).toBe("NoSuchKey");
    expect(await read(bucket, "doc", v1.VersionId)).toBe("version one");
    const missing = path.join(tmp.path, "nv.out");
    expect(await errorOf`get-object --bucket ${bucket} --key doc --version-id nope ${missing}`).toBe("NoSuchVersion");

    // Removing the marker by version id makes v2 current again.
    await api`delete-object --bucket ${bucket} --key doc --version-id ${deleted.VersionId}`;
    expect(await read(bucket, "doc")).toBe("version two");
    const after = await api`list-object-versions --bucket ${bucket} --prefix doc`;
    expect(after.DeleteMarkers).toBeUndefined();
    expect(after.Versions[0]).toMatchObject({ VersionId: v2.VersionId, IsLatest: true });
  });

  it("list-object-versions pages with --page-size; Suspended writes the null version; bad status is MalformedXML", async () => {
    const bucket = await newBucket("verp");
    await api`put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`;
    const body = file("p", "p");
    const written: string[] = [];
    for (const key of ["a", "a", "a", "b", "b"]) {
      written.push((await api`put-object --bucket ${bucket} --key ${key} --body ${body}`).VersionId);
    }
    const paged = await api`list-object-versions --bucket ${bucket} --page-size 2`;
    const ids = paged.Versions.map((v: { Key: string; VersionId: string }) => `${v.Key}:${v.VersionId}`);
    // Newest first within a key.
    const [a1, a2, a3, b1, b2] = written;
    expect(ids).toEqual([`a:${a3}`, `a:${a2}`, `a:${a1}`, `b:${b2}`, `b:${b1}`]);

    expect(await errorOf`put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=enabled`).toBe(
      "MalformedXML",
    );
    await api`put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Suspended`;
    expect(await api`get-bucket-versioning --bucket ${bucket}`).toEqual({ Status: "Suspended" });
    expect((await api`put-object --bucket ${bucket} --key b --body ${body}`).VersionId).toBe("null");
    const b = await api`list-object-versions --bucket ${bucket} --prefix b`;
    expect(b.Versions.map((v: { VersionId: string }) => v.VersionId)).toEqual(["null", b2, b1]);
  });
});
