import { request as httpRequest } from "node:http";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient, startTestEmulator } from "./support/emulator.js";

let emulator: RunningEmulator;
let s3: S3Client;

beforeAll(async () => {
  emulator = await startTestEmulator();
  s3 = sdkClient(emulator.endpoint);
});
afterAll(async () => {
  s3?.destroy();
  await emulator?.close();
});

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

async function expectError(promise: Promise<unknown>, name: string, status: number): Promise<S3ServiceException> {
  const error = await failure(promise);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  return error;
}

async function newBucket(status?: "Enabled" | "Suspended"): Promise<string> {
  const name = bucketName("ver");
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (status) await setVersioning(name, status);
  return name;
}

async function setVersioning(bucket: string, status: "Enabled" | "Suspended") {
  return s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
}

async function text(bucket: string, key: string, versionId?: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return (out.Body as { transformToString(): Promise<string> }).transformToString();
}

async function put(bucket: string, key: string, body: string) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function versionsOf(bucket: string, key: string) {
  const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return {
    versions: (out.Versions ?? []).map((v) => ({ id: v.VersionId, latest: v.IsLatest, size: v.Size })),
    markers: (out.DeleteMarkers ?? []).map((d) => ({ id: d.VersionId, latest: d.IsLatest })),
  };
}

function rawPutVersioning(bucket: string, body: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const headers = { "content-type": "application/xml", "content-length": Buffer.byteLength(body) };
    const req = httpRequest(
      { host: "127.0.0.1", port: emulator.port, method: "PUT", path: `/${bucket}?versioning`, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("Put/GetBucketVersioning", () => {
  it("a new bucket has no Status; Enabled and Suspended read back", async () => {
    const bucket = await newBucket();
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    expect((await setVersioning(bucket, "Enabled")).$metadata.httpStatusCode).toBe(200);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
    await setVersioning(bucket, "Suspended");
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Suspended");
  });

  it.each(["enabled", "Disabled", "ENABLED"])("raw Status %j is MalformedXML and changes nothing", async (status) => {
    const bucket = await newBucket("Enabled");
    const xml = `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>${status}</Status></VersioningConfiguration>`;
    const res = await rawPutVersioning(bucket, xml);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>MalformedXML</Code>");
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
  });

  it("a configuration without Status is IllegalVersioningConfigurationException; bad XML is MalformedXML", async () => {
    const bucket = await newBucket();
    const empty = await rawPutVersioning(
      bucket,
      '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
    );
    expect(empty.status).toBe(400);
    expect(empty.body).toContain("<Code>IllegalVersioningConfigurationException</Code>");
    const broken = await rawPutVersioning(bucket, "<VersioningConfiguration><Status>Enabled</Status>");
    expect(broken.status).toBe(400);
    expect(broken.body).toContain("<Code>MalformedXML</Code>");
  });

  it("on a missing bucket is NoSuchBucket", async () => {
    await expectError(s3.send(new GetBucketVersioningCommand({ Bucket: bucketName("missing") })), "NoSuchBucket", 404);
  });
});

describe("version ids", () => {
  it("an unversioned bucket returns no version id; the object becomes the null version once enabled", async () => {
    const bucket = await newBucket();
    const before = await put(bucket, "k", "original");
    expect(before.VersionId).toBeUndefined();
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))).VersionId).toBeUndefined();
    await setVersioning(bucket, "Enabled");
    const after = await put(bucket, "k", "versioned");
    expect(after.VersionId).toBeTruthy();
    expect(after.VersionId).not.toBe("null");
    expect(await versionsOf(bucket, "k")).toEqual({
      versions: [
        { id: after.VersionId, latest: true, size: 9 },
        { id: "null", latest: false, size: 8 },
      ],
      markers: [],
    });
    expect(await text(bucket, "k", "null")).toBe("original");
    expect(await text(bucket, "k", after.VersionId)).toBe("versioned");
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))).VersionId).toBe(after.VersionId);
  });

  it("suspended puts replace the null version and keep the enabled-era versions", async () => {
    const bucket = await newBucket("Enabled");
    const v1 = (await put(bucket, "k", "v1")).VersionId;
    await setVersioning(bucket, "Suspended");
    const s1 = await put(bucket, "k", "s1");
    expect(s1.VersionId).toBe("null");
    await put(bucket, "k", "s2-longer");
    expect(await versionsOf(bucket, "k")).toEqual({
      versions: [
        { id: "null", latest: true, size: 9 },
        { id: v1, latest: false, size: 2 },
      ],
      markers: [],
    });
    expect(await text(bucket, "k")).toBe("s2-longer");
    expect(await text(bucket, "k", v1)).toBe("v1");
  });

  it("a suspended DELETE replaces the null version with a null delete marker", async () => {
    const bucket = await newBucket("Enabled");
    const v1 = (await put(bucket, "k", "v1")).VersionId;
    await setVersioning(bucket, "Suspended");
    await put(bucket, "k", "null one");
    const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBe("null");
    expect(await versionsOf(bucket, "k")).toEqual({
      versions: [{ id: v1, latest: false, size: 2 }],
      markers: [{ id: "null", latest: true }],
    });
  });
});

describe("delete markers", () => {
  let bucket: string;
  let v1: string;
  let v2: string;
  let marker: string;
  beforeAll(async () => {
    bucket = await newBucket("Enabled");
    v1 = (await put(bucket, "k", "one")).VersionId as string;
    v2 = (await put(bucket, "k", "two")).VersionId as string;
    const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.$metadata.httpStatusCode).toBe(204);
    marker = del.VersionId as string;
  });

  it("a DELETE without version id adds a marker: GET is NoSuchKey with x-amz-delete-marker, HEAD a 404", async () => {
    expect(marker).toBeTruthy();
    expect([v1, v2]).not.toContain(marker);
    const get = await expectError(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })), "NoSuchKey", 404);
    expect(get.$response?.headers["x-amz-delete-marker"]).toBe("true");
    expect(get.$response?.headers["x-amz-version-id"]).toBe(marker);
    const head = await expectError(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" })), "NotFound", 404);
    expect(head.$response?.headers["x-amz-delete-marker"]).toBe("true");
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });

  it("GET / HEAD naming the marker's version id are 405 MethodNotAllowed", async () => {
    const get = await expectError(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker })),
      "MethodNotAllowed",
      405,
    );
    expect(get.$response?.headers["x-amz-delete-marker"]).toBe("true");
    expect(get.$response?.headers["last-modified"]).toBeTruthy();
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker })));
    expect(head.$metadata.httpStatusCode).toBe(405);
    expect(head.$response?.headers["x-amz-delete-marker"]).toBe("true");
  });

  it("older versions stay readable by version id through GET and HEAD", async () => {
    expect(await text(bucket, "k", v1)).toBe("one");
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: v2 }));
    expect(head.VersionId).toBe(v2);
    expect(head.ContentLength).toBe(3);
  });

  it("DELETE naming the marker removes it and the previous version reappears", async () => {
    const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBe(marker);
    expect(await text(bucket, "k")).toBe("two");
    expect((await versionsOf(bucket, "k")).markers).toEqual([]);
  });

  it("DELETE by version id removes that version for good, without a marker", async () => {
    const del = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: v2 }));
    expect(del.VersionId).toBe(v2);
    expect(del.DeleteMarker).toBeUndefined();
    expect(await text(bucket, "k")).toBe("one");
    expect(await versionsOf(bucket, "k")).toEqual({ versions: [{ id: v1, latest: true, size: 3 }], markers: [] });
  });
});

describe("NoSuchVersion", () => {
  it("GET / HEAD of a version id that does not exist for the key", async () => {
    const bucket = await newBucket("Enabled");
    await put(bucket, "k", "x");
    const elsewhere = (await put(bucket, "other", "y")).VersionId;
    const error = await expectError(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k", VersionId: elsewhere })),
      "NoSuchVersion",
      404,
    );
    expect(error.message).toBe("The specified version does not exist.");
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: elsewhere })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });
});
