/**
 * The AWS CLI v2 (Debian, /usr/bin/aws 2.9.19) low-level multipart uploads over HTTP: create-multipart-upload,
 * upload-part, list-parts, list-multipart-uploads, complete- and abort-multipart-upload.
 * CLI 2.9 predates AWS_ENDPOINT_URL support, so every call passes --endpoint-url.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateMultipartUploadCommand, type S3Client } from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

const MiB = 1024 * 1024;
let emulator: RunningEmulator;
let sdk: S3Client;
let tmp: string;

/**
 * Command words from a template: literal text splits on whitespace, each `${value}` stays one argument
 * (joined to adjacent text, as in `s3://${bucket}/key`) and an array value gives one argument per element.
 */
function words(strings: TemplateStringsArray, values: unknown[]): string[] {
  const out: string[] = [];
  let open = false;
  const add = (word: string) => {
    if (open) out[out.length - 1] += word;
    else out.push(word);
    open = true;
  };
  strings.forEach((text, i) => {
    text.split(/\s+/).forEach((piece, j) => {
      if (j > 0) open = false;
      if (piece) add(piece);
    });
    const value = values[i];
    if (Array.isArray(value)) {
      out.push(...value.map(String));
      open = false;
    } else if (i < values.length) add(String(value));
  });
  return out;
}
const run = (args: string[]) =>
  awsCli(emulator.endpoint, ["--endpoint-url", emulator.endpoint, "--output", "json", "s3api", ...args], {
    allowFailure: true,
  });
/** `aws s3api ...` that must succeed; its JSON output parsed (`{}` when it prints nothing). */
// biome-ignore lint/suspicious/noExplicitAny: CLI JSON output is checked field by field
async function api(strings: TemplateStringsArray, ...values: unknown[]): Promise<any> {
  const result = await run(words(strings, values));
  if (result.code !== 0) throw new Error(`aws s3api failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim() ? JSON.parse(result.stdout) : {};
}
/** `aws s3api ...` that must fail: the error code the CLI prints as `An error occurred (Code) when ...`. */
async function errorOf(strings: TemplateStringsArray, ...values: unknown[]): Promise<string | undefined> {
  const result = await run(words(strings, values));
  expect(result.code, result.stdout).not.toBe(0);
  return result.stderr.match(/An error occurred \(([^)]+)\)/)?.[1];
}
const file = (name: string, content: string | Buffer) => {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, content);
  return target;
};
const md5 = (data: string | Buffer) => createHash("md5").update(data);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
async function newBucket(label: string): Promise<string> {
  const bucket = bucketName(label);
  await api`create-bucket --bucket ${bucket}`;
  return bucket;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  sdk = sdkClient(emulator.endpoint);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aws-cli-mpu-"));
});

afterAll(async () => {
  sdk?.destroy();
  await emulator?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

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
      expect(put.ETag).toBe(`"${md5(data).digest("hex")}"`);
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
    const expected = md5(Buffer.concat(parts.map((part) => md5(part).digest()))).digest("hex");
    expect(done.ETag).toBe(`"${expected}-2"`);
    const head = await api`head-object --bucket ${bucket} --key ${key}`;
    expect(head).toMatchObject({ ETag: done.ETag, ContentLength: 5 * MiB + 1234, ContentType: "application/x-test" });
    expect(head.Metadata).toEqual({ m: "1" });
    const out = path.join(tmp, "mpu.out");
    await api`get-object --bucket ${bucket} --key ${key} ${out}`;
    expect(sha256(fs.readFileSync(out))).toBe(sha256(Buffer.concat(parts)));
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
      const { UploadId } = await sdk.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `u${i % 3}` }));
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
    await awsCli(emulator.endpoint, [
      "--endpoint-url",
      emulator.endpoint,
      "s3",
      "cp",
      file("nine", data),
      `s3://${bucket}/nine`,
    ]);
    const out = path.join(tmp, "part2.out");
    const part = await api`get-object --bucket ${bucket} --key nine --part-number 2 ${out}`;
    expect(part).toMatchObject({
      PartsCount: 2,
      ContentLength: MiB,
      ContentRange: `bytes ${8 * MiB}-${9 * MiB - 1}/${9 * MiB}`,
    });
    expect(fs.readFileSync(out).equals(data.subarray(8 * MiB))).toBe(true);
  });
});
