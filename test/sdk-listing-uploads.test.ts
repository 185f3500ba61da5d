import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { md5Hex } from "./support/digests.js";
import { createSdkBucket, expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();

const newBucket = (versioned: boolean) => createSdkBucket(suite.s3, "lv", versioned);

async function putVersion(bucket: string, key: string, body: string): Promise<string> {
  return (await suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))).VersionId as string;
}

describe("ListObjectVersions", () => {
  let bucket: string;
  const expected: { key: string; id: string; latest: boolean }[] = [];
  let marker: string;

  beforeAll(async () => {
    bucket = await newBucket(true);
    const a = await putVersion(bucket, "a", "a1");
    const m: string[] = [];
    for (let i = 1; i <= 7; i++) m.push(await putVersion(bucket, "m", `m${i}`));
    marker = (await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "m" }))).VersionId as string;
    const z1 = await putVersion(bucket, "z", "z1");
    const z2 = await putVersion(bucket, "z", "z2");
    expected.push({ key: "a", id: a, latest: true });
    for (const id of [...m].reverse()) expected.push({ key: "m", id, latest: false });
    expected.push({ key: "z", id: z2, latest: true }, { key: "z", id: z1, latest: false });
  });

  it("lists versions newest first per key, and delete markers apart with IsLatest", async () => {
    const out = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(out.Versions?.map((v) => ({ key: v.Key, id: v.VersionId, latest: v.IsLatest }))).toEqual(expected);
    expect(out.DeleteMarkers?.map((d) => ({ key: d.Key, id: d.VersionId, latest: d.IsLatest }))).toEqual([
      { key: "m", id: marker, latest: true },
    ]);
    expect(out.DeleteMarkers?.[0]?.Owner?.ID).toBeTruthy();
    const first = out.Versions?.[0];
    expect(first?.ETag).toBe(`"${md5Hex("a1")}"`);
    expect(first?.Size).toBe(2);
    expect(out.IsTruncated).toBe(false);
  });

  it.each([1, 2, 3, 4])(
    "pages with KeyMarker / VersionIdMarker (MaxKeys %i) without loss or repetition",
    async (maxKeys) => {
      const versions: { key: string; id: string; latest: boolean }[] = [];
      const markers: string[] = [];
      let page: ListObjectVersionsCommandOutput | undefined;
      let pages = 0;
      do {
        page = await suite.s3.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            MaxKeys: maxKeys,
            KeyMarker: page?.NextKeyMarker,
            VersionIdMarker: page?.NextVersionIdMarker,
          }),
        );
        const count = (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
        expect(count).toBeLessThanOrEqual(maxKeys);
        versions.push(
          ...(page.Versions ?? []).map((v) => ({
            key: v.Key as string,
            id: v.VersionId as string,
            latest: v.IsLatest === true,
          })),
        );
        markers.push(...(page.DeleteMarkers ?? []).map((d) => d.VersionId as string));
        pages++;
      } while (page.IsTruncated && pages < 50);
      expect(versions).toEqual(expected);
      expect(markers).toEqual([marker]);
      expect(pages).toBe(Math.ceil((expected.length + 1) / maxKeys));
    },
  );

  it("a version-id-marker without a key-marker is InvalidArgument", async () => {
    await expectSdkError(
      suite.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, VersionIdMarker: marker })),
      "InvalidArgument",
      400,
    );
  });

  it("Prefix and Delimiter roll versions up into CommonPrefixes", async () => {
    const other = await newBucket(true);
    for (const key of ["d/1", "d/1", "d/2", "e"]) await putVersion(other, key, key);
    const out = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: other, Delimiter: "/" }));
    expect(out.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["d/"]);
    expect(out.Versions?.map((v) => v.Key)).toEqual(["e"]);
    const under = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: other, Prefix: "d/1" }));
    expect(under.Versions?.map((v) => v.Key)).toEqual(["d/1", "d/1"]);
    expect(under.Versions?.map((v) => v.IsLatest)).toEqual([true, false]);
  });
});

describe("ListMultipartUploads", () => {
  it("lists in-progress uploads by key, filters by prefix, and forgets aborted ones", async () => {
    const bucket = await newBucket(false);
    const ids: Record<string, string> = {};
    for (const key of ["u/b", "u/a", "other"]) {
      ids[key] = (
        await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, StorageClass: "STANDARD_IA" }))
      ).UploadId as string;
    }
    const all = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(all.Uploads?.map((u) => u.Key)).toEqual(["other", "u/a", "u/b"]);
    expect(all.Uploads?.[1]).toMatchObject({ Key: "u/a", UploadId: ids["u/a"], StorageClass: "STANDARD_IA" });
    expect(all.Uploads?.[1]?.Initiated).toBeInstanceOf(Date);
    expect(all.Uploads?.[1]?.Initiator?.ID).toBeTruthy();
    expect(all.Bucket).toBe(bucket);
    expect(all.IsTruncated).toBe(false);
    const prefixed = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "u/" }));
    expect(prefixed.Uploads?.map((u) => u.Key)).toEqual(["u/a", "u/b"]);
    await suite.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "u/a", UploadId: ids["u/a"] }));
    const after = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "u/" }));
    expect(after.Uploads?.map((u) => u.Key)).toEqual(["u/b"]);
  });

  it("pages with MaxUploads through many uploads of one key without loss or repetition", async () => {
    const bucket = await newBucket(false);
    const created: string[] = [];
    for (let i = 0; i < 8; i++) {
      created.push(
        (await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: i < 6 ? "same" : `zz${i}` })))
          .UploadId as string,
      );
    }
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    let pages = 0;
    for (;;) {
      const out = await suite.s3.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          MaxUploads: 2,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      seen.push(...(out.Uploads ?? []).map((u) => u.UploadId as string));
      pages++;
      if (!out.IsTruncated || pages > 20) break;
      expect(out.NextKeyMarker).toBeTruthy();
      keyMarker = out.NextKeyMarker;
      uploadIdMarker = out.NextUploadIdMarker;
    }
    expect([...seen].sort()).toEqual([...created].sort());
    expect(seen.length).toBe(created.length);
  });
});

describe("ListParts", () => {
  it("lists parts with ETags and sizes, pages with MaxParts, and shows a re-uploaded part once", async () => {
    const bucket = await newBucket(false);
    const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mp" }));
    const bodies = ["p1", "part 2", "the third"];
    for (const [i, body] of bodies.entries()) {
      await suite.s3.send(
        new UploadPartCommand({ Bucket: bucket, Key: "mp", UploadId, PartNumber: i + 1, Body: body }),
      );
    }
    await suite.s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: "mp", UploadId, PartNumber: 2, Body: "part two!" }),
    );
    const md5 = (s: string) => `"${md5Hex(s)}"`;

    const all = await suite.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "mp", UploadId }));
    expect(all.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, md5("p1"), 2],
      [2, md5("part two!"), 9],
      [3, md5("the third"), 9],
    ]);
    expect(all.IsTruncated).toBe(false);
    expect(all.UploadId).toBe(UploadId);
    expect(all.StorageClass).toBe("STANDARD");

    const first = await suite.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "mp", UploadId, MaxParts: 2 }));
    expect(first.Parts?.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextPartNumberMarker).toBe("2");
    const rest = await suite.s3.send(
      new ListPartsCommand({ Bucket: bucket, Key: "mp", UploadId, PartNumberMarker: first.NextPartNumberMarker }),
    );
    expect(rest.Parts?.map((p) => p.PartNumber)).toEqual([3]);
    expect(rest.IsTruncated).toBe(false);
  });

  it("an unknown upload id is NoSuchUpload (404)", async () => {
    const bucket = await newBucket(false);
    await expectSdkError(
      suite.s3.send(new ListPartsCommand({ Bucket: bucket, Key: "mp", UploadId: "no-such-upload" })),
      "NoSuchUpload",
      404,
    );
  });
});
