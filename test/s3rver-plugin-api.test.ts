// The s3rver plugin's S3 routes: the inventory configuration API and the bucket policy API answer byte for byte as
// the main engine does (same requests to both, shared code in packages/inventory and packages/s3), the AWS CLI v2
// drives them, and every other request still reaches s3rver unchanged.
import { GetBucketPolicyCommand, ListBucketsCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import {
  edited,
  fullConfiguration,
  inventoryXml,
  minimalConfiguration,
  startInventoryEmulator,
} from "./support/inventory.js";
import { cliAs, expectCliError, expectCliOk, expectSdkError, policyFile } from "./support/policy-clients.js";
import { createBucket, type RawRequest, type RawResponse, rawRequest } from "./support/raw-http.js";
import { type RunningS3rver, S3RVER_KEYS, s3rverClient, startS3rver } from "./support/s3rver.js";

let s3rver: RunningS3rver;
let engine: RunningEmulator;
let s3: S3Client;
const cli = (args: string[]) => cliAs(s3rver.endpoint, S3RVER_KEYS, args);

beforeAll(async () => {
  [s3rver, engine] = await Promise.all([startS3rver(), startInventoryEmulator()]);
  s3 = s3rverClient(s3rver.endpoint);
});
afterAll(async () => {
  s3?.destroy();
  await Promise.all([s3rver?.close(), engine?.close()]);
});

/** What must be equal: status, Content-Type and body, without the per-request RequestId and HostId. */
const comparable = (response: RawResponse) => ({
  status: response.status,
  contentType: response.headers["content-type"],
  body: response.text.replace(/<RequestId>[^<]*<\/RequestId><HostId>[^<]*<\/HostId>/, ""),
});

/** A bucket policy letting the inventory service put any object into `bucket`. */
const allowInventoryService = (bucket: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${bucket}/*`,
    },
  ],
});

describe("the same answers as the main engine", () => {
  const bucket = bucketName("same");
  const dest = bucketName("dest");
  const minimal = minimalConfiguration("one", dest);
  const put = (id: string, body: string): RawRequest => ({
    method: "PUT",
    path: `/${bucket}?inventory&id=${id}`,
    body,
  });
  const get = (query: string): RawRequest => ({ method: "GET", path: `/${bucket}?${query}` });
  const remove = (query: string): RawRequest => ({
    method: "DELETE",
    path: `/${bucket}?${query}`,
    headers: { "content-length": 0 },
  });
  const policy = (document: object | string): RawRequest => ({
    method: "PUT",
    path: `/${bucket}?policy`,
    body: typeof document === "string" ? document : JSON.stringify(document),
  });
  const allowInventory = allowInventoryService(bucket);
  // In order: each request sees the state the ones before left, on both servers.
  const requests: [string, RawRequest][] = [
    ["List with no configuration", get("inventory")],
    ["Put, only required members", put("one", inventoryXml(minimal))],
    ["Put, every member (SSE-KMS, 19 fields)", put("full", inventoryXml(fullConfiguration("full", dest)))],
    [
      "Put, no declaration, no namespace, shuffled",
      put(
        "two",
        inventoryXml(edited(minimal, "Id", "two"), {
          declaration: false,
          namespace: false,
          order: (n) => [...n].reverse(),
        }),
      ),
    ],
    ["Get", get("inventory&id=full")],
    ["List", get("inventory")],
    ["Put, Id not the query's id", put("other", inventoryXml(minimal))],
    ["Put, not XML", put("one", "<InventoryConfiguration>")],
    [
      "Put, TSV (not an AWS format)",
      put("one", inventoryXml(edited(minimal, "Destination.S3BucketDestination.Format", "TSV"))),
    ],
    [
      "Put, a destination that is not an ARN",
      put("one", inventoryXml(edited(minimal, "Destination.S3BucketDestination.Bucket", dest))),
    ],
    ["Put, an unknown optional field", put("one", inventoryXml(edited(minimal, "OptionalFields", ["Colour"])))],
    [
      "Put, IncludedObjectVersions Latest (CoreWeave's)",
      put("one", inventoryXml(edited(minimal, "IncludedObjectVersions", "Latest"))),
    ],
    ["Get, empty id", get("inventory&id=")],
    ["Get, no such configuration", get("inventory&id=none")],
    ["Delete, no such configuration", remove("inventory&id=none")],
    ["Delete", remove("inventory&id=one")],
    ["List after delete", get("inventory")],
    ["Get on a bucket that does not exist", { method: "GET", path: "/no-such-bucket-s3rver-plugin?inventory&id=one" }],
    ["Get policy, none", get("policy")],
    ["Put policy, not JSON", policy("Allow everything")],
    ["Put policy, no Statement", policy({ Version: "2012-10-17" })],
    [
      "Put policy, a resource of another bucket",
      policy(
        edited(allowInventory, "Statement", [{ ...allowInventory.Statement[0], Resource: "arn:aws:s3:::other/*" }]),
      ),
    ],
    ["Put policy", policy(allowInventory)],
    ["Get policy", get("policy")],
    ["Delete policy", remove("policy")],
    ["Get policy after delete", get("policy")],
  ];

  beforeAll(async () => {
    for (const port of [s3rver.port, engine.port]) {
      await createBucket(port, bucket);
      await createBucket(port, dest);
    }
  });

  it.each(requests)("%s", async (_label, request) => {
    const [plugin, main] = await Promise.all([rawRequest(s3rver.port, request), rawRequest(engine.port, request)]);
    expect(comparable(plugin)).toEqual(comparable(main));
  });
});

describe("the AWS CLI v2", () => {
  const bucket = bucketName("cli");
  const dest = bucketName("cli-dest");
  const configuration = {
    Id: "from-cli",
    IsEnabled: true,
    Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${dest}`, Format: "Parquet", Prefix: "inv" } },
    Filter: { Prefix: "logs/" },
    Schedule: { Frequency: "Weekly" },
    IncludedObjectVersions: "Current",
    OptionalFields: ["Size", "ETag"],
  };

  it("puts, gets, lists and deletes an inventory configuration", async () => {
    expectCliOk(await cli(["s3", "mb", `s3://${bucket}`]));
    const args = ["--bucket", bucket, "--id", "from-cli"];
    expectCliOk(
      await cli([
        "s3api",
        "put-bucket-inventory-configuration",
        ...args,
        "--inventory-configuration",
        JSON.stringify(configuration),
      ]),
    );
    const got = await cli(["s3api", "get-bucket-inventory-configuration", ...args]);
    expectCliOk(got);
    expect(JSON.parse(got.stdout).InventoryConfiguration).toEqual(configuration);
    const listed = await cli(["s3api", "list-bucket-inventory-configurations", "--bucket", bucket]);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      IsTruncated: false,
      InventoryConfigurationList: [configuration],
    });
    expectCliOk(await cli(["s3api", "delete-bucket-inventory-configuration", ...args]));
    expectCliError(await cli(["s3api", "get-bucket-inventory-configuration", ...args]), "NoSuchConfiguration");
  });

  it("puts, gets and deletes a bucket policy; a malformed one is MalformedPolicy", async () => {
    expectCliOk(await cli(["s3", "mb", `s3://${dest}`]));
    const document = allowInventoryService(dest);
    expectCliOk(await cli(["s3api", "put-bucket-policy", "--bucket", dest, "--policy", policyFile(document)]));
    const got = await cli(["s3api", "get-bucket-policy", "--bucket", dest]);
    expect(JSON.parse(JSON.parse(got.stdout).Policy)).toEqual(document);
    expectCliError(
      await cli(["s3api", "put-bucket-policy", "--bucket", dest, "--policy", policyFile({ Statement: [] })]),
      "MalformedPolicy",
    );
    expectCliOk(await cli(["s3api", "delete-bucket-policy", "--bucket", dest]));
    await expectSdkError(s3.send(new GetBucketPolicyCommand({ Bucket: dest })), "NoSuchBucketPolicy", 404);
  });
});

describe("everything else reaches s3rver", () => {
  it("other sub-resources, conflicting ones and other methods get s3rver's own answers", async () => {
    const bucket = bucketName("through");
    await createBucket(s3rver.port, bucket);
    const cors = await rawRequest(s3rver.port, { method: "GET", path: `/${bucket}?cors` });
    expect([cors.status, cors.code]).toEqual([404, "NoSuchCORSConfiguration"]);
    const both = await rawRequest(s3rver.port, { method: "GET", path: `/${bucket}?inventory&policy` });
    expect([both.status, both.code]).toEqual([400, "InvalidArgument"]);
    expect(both.text).toContain("Conflicting query string parameters: inventory, policy");
    const post = await rawRequest(s3rver.port, { method: "POST", path: `/${bucket}?inventory`, body: "" });
    expect([post.status, post.code]).toEqual([405, "MethodNotAllowed"]);
    const objectLevel = await rawRequest(s3rver.port, { method: "GET", path: `/${bucket}/key?policy` });
    expect([objectLevel.status, objectLevel.code]).toEqual([405, "MethodNotAllowed"]);
  });

  it("the plugin's files are neither objects nor buckets, and go with their bucket", async () => {
    const bucket = bucketName("files");
    expectCliOk(await cli(["s3", "mb", `s3://${bucket}`]));
    const put = ["s3api", "put-bucket-inventory-configuration", "--bucket", bucket, "--id", "c"];
    const configuration = JSON.stringify(minimalConfiguration("c", bucket));
    expectCliOk(await cli([...put, "--inventory-configuration", configuration]));
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/*` }],
    };
    expectCliOk(await cli(["s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(policy)]));
    const run = await fetch(`${s3rver.endpoint}/_emulator/inventory/run`, {
      method: "POST",
      body: JSON.stringify({ bucket, id: "c" }),
    });
    expect(((await run.json()) as { status: string }).status).toBe("succeeded");

    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key) ?? [];
    expect(keys.length).toBe(4); // data file, symlink.txt, manifest.json, manifest.checksum
    expect(keys.every((key) => key?.startsWith(`${bucket}/c/`))).toBe(true);
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    expect(buckets.every((name) => !name?.includes("inv-emulator"))).toBe(true);

    expectCliOk(await cli(["s3", "rb", "--force", `s3://${bucket}`]));
    expectCliOk(await cli(["s3", "mb", `s3://${bucket}`]));
    expectCliError(
      await cli(["s3api", "get-bucket-inventory-configuration", "--bucket", bucket, "--id", "c"]),
      "NoSuchConfiguration",
    );
    expectCliError(await cli(["s3api", "get-bucket-policy", "--bucket", bucket]), "NoSuchBucketPolicy");
  });
});
