import { Agent } from "node:http";
import type { LookupFunction } from "node:net";
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName, sdkClient } from "./support/emulator.js";
import { type NodeHttpResponse, nodeHttpRequest } from "./support/node-http.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator({ bucket: "addr" });
beforeAll(async () => {
  await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "dir/file.txt", Body: "path-style" }));
});

/** A request to 127.0.0.1 with exactly this path and Host, so addressing is decided by the server alone. */
function raw(method: string, path: string, options: { host?: string; body?: string } = {}) {
  const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${suite.port}` };
  if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
  return nodeHttpRequest(suite.port, { method, path, headers, body: options.body });
}

const codeOf = (response: NodeHttpResponse) => response.body.match(/<Code>([^<]*)<\/Code>/)?.[1];

describe("virtual-hosted addressing", () => {
  const vhost = () => `${suite.bucket}.localhost:${suite.port}`;

  it("PUT and GET through Host: bucket.localhost address the bucket; path-style sees the same object", async () => {
    const put = await raw("PUT", "/vhost/key.txt", { host: vhost(), body: "virtual" });
    expect(put.status).toBe(200);
    const out = await suite.s3.send(new GetObjectCommand({ Bucket: suite.bucket, Key: "vhost/key.txt" }));
    expect(await out.Body?.transformToString()).toBe("virtual");
    const get = await raw("GET", "/dir/file.txt", { host: vhost() });
    expect(get.status).toBe(200);
    expect(get.body).toBe("path-style");
  });

  it("GET / on the bucket host lists the bucket; HEAD / is HeadBucket", async () => {
    const list = await raw("GET", "/?list-type=2&prefix=dir/", { host: vhost() });
    expect(list.status).toBe(200);
    expect(list.body).toContain(`<Name>${suite.bucket}</Name>`);
    expect(list.body).toContain("<Key>dir/file.txt</Key>");
    expect((await raw("HEAD", "/", { host: vhost() })).status).toBe(200);
    expect((await raw("HEAD", "/", { host: `${bucketName("missing")}.localhost:${suite.port}` })).status).toBe(404);
  });

  it("Host: localhost without a bucket label is the service (ListBuckets)", async () => {
    const res = await raw("GET", "/", { host: `localhost:${suite.port}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain("<ListAllMyBucketsResult");
    expect(res.body).toContain(`<Name>${suite.bucket}</Name>`);
  });

  it("the SDK without forcePathStyle works against http://localhost when *.localhost resolves", async () => {
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all
        ? callback(null, [{ address: "127.0.0.1", family: 4 }])
        : callback(null, "127.0.0.1", 4)) as unknown as LookupFunction;
    const hosts: string[] = [];
    const client = sdkClient(`http://localhost:${suite.port}`, {
      forcePathStyle: false,
      requestHandler: { httpAgent: new Agent({ lookup }) },
    });
    client.middlewareStack.add(
      (next) => async (args) => {
        hosts.push((args.request as { hostname: string }).hostname);
        return next(args);
      },
      { step: "finalizeRequest", name: "recordHost" },
    );
    try {
      const name = bucketName("vsdk");
      await client.send(new CreateBucketCommand({ Bucket: name }));
      await client.send(new PutObjectCommand({ Bucket: name, Key: "a/b c.txt", Body: "via vhost" }));
      const out = await client.send(new GetObjectCommand({ Bucket: name, Key: "a/b c.txt" }));
      expect(await out.Body?.transformToString()).toBe("via vhost");
      expect((await client.send(new ListObjectsV2Command({ Bucket: name }))).Contents?.map((c) => c.Key)).toEqual([
        "a/b c.txt",
      ]);
      expect(hosts.length).toBe(4);
      expect(hosts.every((host) => host === `${name}.localhost`)).toBe(true);
      expect((await suite.s3.send(new HeadBucketCommand({ Bucket: name }))).$metadata.httpStatusCode).toBe(200);
    } finally {
      client.destroy();
    }
  });
});

describe("path-style forms", () => {
  it("/bucket?location and the JS SDK's /bucket/?location=&x-id=... answer alike", async () => {
    const plain = await raw("GET", `/${suite.bucket}?location`);
    const sdkForm = await raw("GET", `/${suite.bucket}/?location=&x-id=GetBucketLocation`);
    expect(plain.status).toBe(200);
    expect(plain.body).toContain("<LocationConstraint");
    expect(sdkForm.body).toBe(plain.body);
    expect((await suite.s3.send(new GetBucketLocationCommand({ Bucket: suite.bucket }))).$metadata.httpStatusCode).toBe(
      200,
    );
  });

  it("/bucket/?list-type=2&x-id=ListObjectsV2 and /bucket?list-type=2 list the same keys", async () => {
    const a = await raw("GET", `/${suite.bucket}/?list-type=2&x-id=ListObjectsV2`);
    const b = await raw("GET", `/${suite.bucket}?list-type=2`);
    expect(a.status).toBe(200);
    const keys = (body: string) => [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
    expect(keys(a.body)).toEqual(keys(b.body));
    expect(keys(a.body)).toContain("dir/file.txt");
    expect(a.body).toContain("<KeyCount>");
  });

  it("HEAD /bucket/ with a trailing slash is the bucket, not an object with an empty key", async () => {
    expect((await raw("HEAD", `/${suite.bucket}/`)).status).toBe(200);
    expect((await raw("HEAD", `/${suite.bucket}`)).status).toBe(200);
  });

  it("GET /bucket/key?x-id=GetObject reads the object; x-id is not part of the key", async () => {
    const res = await raw("GET", `/${suite.bucket}/dir/file.txt?x-id=GetObject`);
    expect(res.status).toBe(200);
    expect(res.body).toBe("path-style");
  });

  it("percent-encoded path segments are decoded once", async () => {
    await suite.s3.send(new PutObjectCommand({ Bucket: suite.bucket, Key: "sp ace/%41", Body: "decoded once" }));
    const res = await raw("GET", `/${suite.bucket}/sp%20ace/%2541`);
    expect(res.body).toBe("decoded once");
    expect((await raw("GET", `/${suite.bucket}/sp%20ace/A`)).status).toBe(404);
  });
});

describe("unsupported and misrouted requests", () => {
  it.each([
    ["GET", "?acl"],
    ["PUT", "?acl"],
    ["GET", "?cors"],
    ["GET", "?lifecycle"],
    ["GET", "/dir/file.txt?acl"],
    ["GET", "/dir/file.txt?retention"],
  ])("%s %s is 501 NotImplemented", async (method, suffix) => {
    const res = await raw(method, `/${suite.bucket}${suffix}`, method === "PUT" ? { body: "" } : {});
    expect(res.status).toBe(501);
    expect(codeOf(res)).toBe("NotImplemented");
  });

  it.each([
    ["POST", "?versioning"],
    ["DELETE", "?location"],
    ["POST", "?tagging"],
    ["PATCH", "/dir/file.txt"],
    ["POST", "/dir/file.txt"],
  ])("%s %s is 405 MethodNotAllowed", async (method, suffix) => {
    const res = await raw(method, `/${suite.bucket}${suffix}`, { body: "" });
    expect(res.status).toBe(405);
    expect(codeOf(res)).toBe("MethodNotAllowed");
  });

  it("a wrong verb on ?versioning names the allowed ones", async () => {
    const res = await raw("POST", `/${suite.bucket}?versioning`, { body: "" });
    expect(String(res.headers.allow).split(/,\s*/).sort()).toEqual(["GET", "PUT"]);
  });

  it("error documents carry the request id that the headers carry", async () => {
    const res = await raw("GET", `/${suite.bucket}/missing-key`);
    expect(res.status).toBe(404);
    expect(codeOf(res)).toBe("NoSuchKey");
    expect(res.headers["content-type"]).toBe("application/xml");
    expect(res.body).toContain(`<RequestId>${res.headers["x-amz-request-id"]}</RequestId>`);
    expect(res.body).toContain("<Key>missing-key</Key>");
  });
});

describe("/_emulator control routes", () => {
  it("GET /_emulator/health is JSON with the profile", async () => {
    const res = await raw("GET", "/_emulator/health");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(res.body)).toEqual({ status: "ok", profile: "aws" });
  });

  it("an unknown control route is a JSON 404, never an S3 bucket named _emulator", async () => {
    const res = await raw("GET", "/_emulator/nope");
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toHaveProperty("error");
  });
});
