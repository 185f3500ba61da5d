import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import { nodeHttpRequest } from "./support/node-http.js";
import { createSdkBucket, expectSdkError, getText, s3Failure } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator();

const newBucket = (status?: "Enabled" | "Suspended") => createSdkBucket(suite.s3, "ver", status);

async function setVersioning(bucket: string, status: "Enabled" | "Suspended") {
  return suite.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
}

const text = (bucket: string, key: string, versionId?: string) => getText(suite.s3, bucket, key, versionId);

async function put(bucket: string, key: string, body: string) {
  return suite.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function versionsOf(bucket: string, key: string) {
  const out = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  return {
    versions: (out.Versions ?? []).map((v) => ({ id: v.VersionId, latest: v.IsLatest, size: v.Size })),
    markers: (out.DeleteMarkers ?? []).map((d) => ({ id: d.VersionId, latest: d.IsLatest })),
  };
}

function rawPutVersioning(bucket: string, body: string) {
  const headers = { "content-type": "application/xml", "content-length": Buffer.byteLength(body) };
  return nodeHttpRequest(suite.port, { method: "PUT", path: `/${bucket}?versioning`, headers, body });
}

describe("Put/GetBucketVersioning", () => {
  it("a new bucket has no Status; Enabled and Suspended read back", async () => {
    const bucket = await newBucket();
    expect((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    expect((await setVersioning(bucket, "Enabled")).$metadata.httpStatusCode).toBe(200);
    expect((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
    await setVersioning(bucket, "Suspended");
    expect((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Suspended");
  });

  it.each(["enabled", "Disabled", "ENABLED"])("raw Status %j is MalformedXML and changes nothing", async (status) => {
    const bucket = await newBucket("Enabled");
    const xml = `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>${status}</Status></VersioningConfiguration>`;
    const res = await rawPutVersioning(bucket, xml);
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>MalformedXML</Code>");
    expect((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
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
    await expectSdkError(
      suite.s3.send(new GetBucketVersioningCommand({ Bucket: bucketName("missing") })),
      "NoSuchBucket",
      404,
    );
  });
});

describe("version ids", () => {
  it("an unversioned bucket returns no version id; the object becomes the null version once enabled", async () => {
    const bucket = await newBucket();
    const before = await put(bucket, "k", "original");
    expect(before.VersionId).toBeUndefined();
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))).VersionId).toBeUndefined();
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
    expect((await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))).VersionId).toBe(after.VersionId);
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
    const del = await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
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
    const del = await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.$metadata.httpStatusCode).toBe(204);
    marker = del.VersionId as string;
  });

  it("a DELETE without version id adds a marker: GET is NoSuchKey with x-amz-delete-marker, HEAD a 404", async () => {
    expect(marker).toBeTruthy();
    expect([v1, v2]).not.toContain(marker);
    const get = await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })),
      "NoSuchKey",
      404,
    );
    expect(get.$response?.headers["x-amz-delete-marker"]).toBe("true");
    expect(get.$response?.headers["x-amz-version-id"]).toBe(marker);
    const head = await expectSdkError(
      suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" })),
      "NotFound",
      404,
    );
    expect(head.$response?.headers["x-amz-delete-marker"]).toBe("true");
    expect((await suite.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });

  it("GET / HEAD naming the marker's version id are 405 MethodNotAllowed", async () => {
    const get = await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker })),
      "MethodNotAllowed",
      405,
    );
    expect(get.$response?.headers["x-amz-delete-marker"]).toBe("true");
    expect(get.$response?.headers["last-modified"]).toBeTruthy();
    const head = await s3Failure(suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker })));
    expect(head.$metadata.httpStatusCode).toBe(405);
    expect(head.$response?.headers["x-amz-delete-marker"]).toBe("true");
  });

  it("older versions stay readable by version id through GET and HEAD", async () => {
    expect(await text(bucket, "k", v1)).toBe("one");
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: v2 }));
    expect(head.VersionId).toBe(v2);
    expect(head.ContentLength).toBe(3);
  });

  it("DELETE naming the marker removes it and the previous version reappears", async () => {
    const del = await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBe(marker);
    expect(await text(bucket, "k")).toBe("two");
    expect((await versionsOf(bucket, "k")).markers).toEqual([]);
  });

  it("DELETE by version id removes that version for good, without a marker", async () => {
    const del = await suite.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: v2 }));
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
    const error = await expectSdkError(
      suite.s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k", VersionId: elsewhere })),
      "NoSuchVersion",
      404,
    );
    expect(error.message).toBe("The specified version does not exist.");
    const head = await s3Failure(
      suite.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k", VersionId: elsewhere })),
    );
    expect(head.$metadata.httpStatusCode).toBe(404);
  });
});
