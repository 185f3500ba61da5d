/**
 * The AWS CLI v2 (Debian, /usr/bin/aws 2.9.19) low-level multipart uploads over HTTP: create-multipart-upload,
 * upload-part, list-parts, list-multipart-uploads, complete- and abort-multipart-upload.
 * CLI 2.9 predates AWS_ENDPOINT_URL support, so every call passes --endpoint-url.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CreateMultipartUploadCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { awsCliCalls } from "./support/aws-cli.js";
import { md5Bytes, md5Hex, sha256Hex } from "./support/digests.js";
import { useEmulator, useTempDir } from "./support/suite.js";

const MiB = 1024 * 1024;
const suite = useEmulator();
const tmp = useTempDir("aws-cli-mpu-");
const { cli, api, errorOf, newBucket } = awsCliCalls(suite);
const file = tmp.file;

describe("aws s3api (CLI v2) multipart uploads", { timeout: 120_000 }, () => {
  it("create, upload-part, list-parts, list-multipart-uploads, complete: bytes and md5-of-md5s ETag", async () => {
    const bucket = await newBucket("mpu");
    const key = "big/object";
    const parts = [randomBytes(5 * MiB), randomBytes(1234)];
    const created = await api`create-multipart-upload --bucket ${bucket} --key ${key} --content-type application/x-test
      --metadata m=1`;
    expect(created).toMatchObject({ Bucket: bucket, Key: key });
    const uploadId: string = created.UploadId;

    const etags: string[] = [];
    for (const [i, data] of parts.entries()) {
      const put = await api`upload-part --bucket ${bucket} --key ${key} --upload-id ${uploadId} --part-number ${i + 1}
        --body ${file(`part${i}`, data)}`;
      expect(put.ETag).toBe(`"${md5Hex(data)}"`);
      etags.push(put.ETag);
    }
    const listed = await api`list-parts --bucket ${bucket} --key ${key} --upload-id ${uploadId}`;
    const rows = listed.Parts.map((p: { PartNumber: number; Size: number; ETag: string }) => [
      p.PartNumber,
      p.Size,
      p.ETag,
    ]);
    expect(rows).toEqual([
      [1, 5 * MiB, etags[0]],
      [2, 1234, etags[1]],
    ]);
    const uploads = await api`list-multipart-uploads --bucket ${bucket}`;
    expect(uploads.Uploads.map((u: { Key: string; UploadId: string }) => [u.Key, u.UploadId])).toEqual([
      [key, uploadId],
    ]);

    const manifest = JSON.stringify({ Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) });
    const done = await api`complete-multipart-upload --bucket ${bucket} --key ${key} --upload-id ${uploadId}
      --multipart-upload ${manifest}`;
    const expected = md5Hex(Buffer.concat(parts.map(md5Bytes)));
    expect(done.ETag).toBe(`"${expected}-2"`);
    const head = await api`head-object --bucket ${bucket} --key ${key}`;
    expect(head).toMatchObject({ ETag: done.ETag, ContentLength: 5 * MiB + 1234, ContentType: "application/x-test" });
    expect(head.Metadata).toEqual({ m: "1" });
    const out = path.join(tmp.path, "mpu.out");
    await api`get-object --bucket ${bucket} --key ${key} ${out}`;
    expect(sha256Hex(fs.readFileSync(out))).toBe(sha256Hex(Buffer.concat(parts)));
    expect(await api`list-multipart-uploads --bucket ${bucket}`).not.toHaveProperty("Uploads");
  });

  it("complete: wrong ETag is InvalidPart, small non-last part EntityTooSmall, wrong order InvalidPartOrder; abort", async () => {
    const bucket = await newBucket("mpe");
    const { UploadId: id } = await api`create-multipart-upload --bucket ${bucket} --key k`;
    const small = file("small", "tiny part");
    const { ETag } =
      await api`upload-part --bucket ${bucket} --key k --upload-id ${id} --part-number 1 --body ${small}`;
    await api`upload-part --bucket ${bucket} --key k --upload-id ${id} --part-number 2 --body ${small}`;
    const complete = (Parts: unknown[]) =>
      errorOf`complete-multipart-upload --bucket ${bucket} --key k --upload-id ${id}
        --multipart-upload ${JSON.stringify({ Parts })}`;
    expect(await complete([{ PartNumber: 1, ETag: `"${"0".repeat(32)}"` }])).toBe("InvalidPart");
    expect(await complete([{ PartNumber: 3, ETag }])).toBe("InvalidPart");
    const both = [
      { PartNumber: 1, ETag },
      { PartNumber: 2, ETag },
    ];
    expect(await complete(both)).toBe("EntityTooSmall");
    expect(await complete([...both].reverse())).toBe("InvalidPartOrder");

    await api`abort-multipart-upload --bucket ${bucket} --key k --upload-id ${id}`;
    expect(await errorOf`list-parts --bucket ${bucket} --key k --upload-id ${id}`).toBe("NoSuchUpload");
    expect(
      await errorOf`upload-part --bucket ${bucket} --key k --upload-id ${id} --part-number 3 --body ${small}`,
    ).toBe("NoSuchUpload");
    expect(await errorOf`abort-multipart-upload --bucket ${bucket} --key k --upload-id ${id}`).toBe("NoSuchUpload");
    expect(await errorOf`head-object --bucket ${bucket} --key k`).toBe("404");
  });

  it("list-multipart-uploads pages through several uploads of the same keys without losing or repeating one", async () => {
    const bucket = await newBucket("mpl");
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `u${i % 3}` }));
      created.push(UploadId as string);
    }
    const first = await api`list-multipart-uploads --bucket ${bucket} --max-uploads 2 --no-paginate`;
    expect(first).toMatchObject({ IsTruncated: true, MaxUploads: 2, NextKeyMarker: "u0" });
    expect(first.NextUploadIdMarker).toBe(first.Uploads[1].UploadId);

    const all = await api`list-multipart-uploads --bucket ${bucket} --page-size 2`;
    const listed: [string, string][] = all.Uploads.map((u: { Key: string; UploadId: string }) => [u.Key, u.UploadId]);
    expect(listed.map(([key]) => key)).toEqual(["u0", "u0", "u0", "u1", "u1", "u2", "u2"]);
    expect(listed.map(([, id]) => id).sort()).toEqual([...created].sort());
  });

  it("get-object --part-number returns that part of a multipart object (206, Content-Range)", async () => {
    const bucket = await newBucket("mpn");
    const data = randomBytes(9 * MiB);
    // `aws s3 cp` uploads 8 MiB parts: 8 MiB + 1 MiB.
    await cli(["s3", "cp", file("nine", data), `s3://${bucket}/nine`]);
    const out = path.join(tmp.path, "part2.out");
    const part = await api`get-object --bucket ${bucket} --key nine --part-number 2 ${out}`;
    expect(part).toMatchObject({
      PartsCount: 2,
      ContentLength: MiB,
      ContentRange: `bytes ${8 * MiB}-${9 * MiB - 1}/${9 * MiB}`,
    });
    expect(fs.readFileSync(out).equals(data.subarray(8 * MiB))).toBe(true);
  });
});
