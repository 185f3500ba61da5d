// Every error of spec/inventory.md §1.4 with its status, code and message, over raw HTTP and through the JS SDK:
// schema errors (MalformedXML), IdMismatch, InvalidS3DestinationBucket and their order, missing configurations and
// buckets, the 1,000-configuration limit, Id rules, permissions of another identity, x-amz-expected-bucket-owner.
import {
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import {
  type Configuration,
  edited,
  forSdk,
  fullConfiguration,
  inventoryXml,
  MESSAGES,
  minimalConfiguration,
  putMany,
  raw,
  startInventoryEmulator,
} from "./support/inventory.js";
import { expectDenied, sdkAs } from "./support/policy-clients.js";
import { createBucket, expectS3Error } from "./support/raw-http.js";
import { expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const bob = { accessKeyId: "bob-key", secretAccessKey: "bob-secret", arn: "arn:aws:iam::222233334444:user/bob" };
const OWNER_ACCOUNT = "000000000000"; // the default owner's account (dummy keys)

const suite = useEmulator({ start: () => startInventoryEmulator({ identities: [bob] }) });
const newBucket = () => createBucket(suite.port, bucketName("err"));
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket();
});

const valid = fullConfiguration("x", "dest-bucket");
const putXml = (body: string, id = "x", target = bucket) => raw.put(suite.port, target, id, body);
const put = (configuration: object, id = "x", target = bucket) => putXml(inventoryXml(configuration), id, target);
const sdkPut = (configuration: Configuration, id = configuration.Id as string, client = suite.s3, target = bucket) =>
  client.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: target,
      Id: id,
      InventoryConfiguration: forSdk(configuration),
    }),
  );

describe("MalformedXML", () => {
  const cases: [string, string, unknown][] = [
    ["Format not CSV/ORC/Parquet", "Destination.S3BucketDestination.Format", "XLS"],
    ["Format in another case", "Destination.S3BucketDestination.Format", "csv"],
    ["Frequency not Daily/Weekly", "Schedule.Frequency", "Hourly"],
    ["IncludedObjectVersions not All/Current", "IncludedObjectVersions", "Bogus"],
    ["IncludedObjectVersions Latest (CoreWeave's word)", "IncludedObjectVersions", "Latest"],
    ["IsEnabled not a boolean", "IsEnabled", "yes"],
    ["an unknown OptionalFields Field", "OptionalFields", ["Size", "NotAField"]],
    ["CoreWeave's LastAccessedDate", "OptionalFields", ["LastAccessedDate"]],
    ["SSE-KMS without KeyId", "Destination.S3BucketDestination.Encryption", { SSEKMS: {} }],
    ["both SSE-S3 and SSE-KMS", "Destination.S3BucketDestination.Encryption", { SSES3: {}, SSEKMS: { KeyId: "k" } }],
    ["missing Id", "Id", undefined],
    ["missing IsEnabled", "IsEnabled", undefined],
    ["missing Destination", "Destination", undefined],
    ["missing S3BucketDestination", "Destination.S3BucketDestination", undefined],
    ["missing Bucket", "Destination.S3BucketDestination.Bucket", undefined],
    ["missing Format", "Destination.S3BucketDestination.Format", undefined],
    ["missing Schedule", "Schedule", undefined],
    ["missing Frequency", "Schedule.Frequency", undefined],
    ["missing IncludedObjectVersions", "IncludedObjectVersions", undefined],
    ["a Filter without Prefix", "Filter.Prefix", undefined],
  ];

  it.each(cases)("%s: 400 MalformedXML, nothing stored", async (_label, path, value) => {
    expectS3Error(await put(edited(valid, path, value)), 400, "MalformedXML", MESSAGES.MalformedXML);
    expectS3Error(await raw.get(suite.port, bucket, "x"), 404, "NoSuchConfiguration");
  });

  it.each([
    ["not XML", "this is not xml"],
    ["JSON", JSON.stringify(valid)],
    ["empty", ""],
    ["unclosed", inventoryXml(valid).slice(0, -5)],
    ["another root element", inventoryXml(valid).replaceAll("InventoryConfiguration", "Configuration")],
  ])("a body that is %s: 400 MalformedXML", async (_label, body) => {
    expectS3Error(await putXml(body), 400, "MalformedXML", MESSAGES.MalformedXML);
  });

  it("through the SDK (which checks required members but not enums)", async () => {
    const error = await expectSdkError(sdkPut(edited(valid, "Schedule.Frequency", "Hourly")), "MalformedXML", 400);
    expect(error.message).toBe(MESSAGES.MalformedXML);
  });
});

describe("IdMismatch, InvalidS3DestinationBucket and the order of checks", () => {
  const plainName = edited(valid, "Destination.S3BucketDestination.Bucket", "dest-bucket");

  it("body Id other than ?id=: 400 IdMismatch", async () => {
    expectS3Error(await put(valid, "y"), 400, "IdMismatch", MESSAGES.IdMismatch);
    const error = await expectSdkError(sdkPut(valid, "y"), "IdMismatch", 400);
    expect(error.message).toBe(MESSAGES.IdMismatch);
  });

  it.each(["dest-bucket", "arn:aws:s3:::", "arn:aws:s3:::Dest_Bucket", "arn:aws:s3:::dest-bucket/prefix"])(
    "destination %j: 400 InvalidS3DestinationBucket",
    async (destination) => {
      const configuration = edited(valid, "Destination.S3BucketDestination.Bucket", destination);
      expectS3Error(await put(configuration), 400, "InvalidS3DestinationBucket", MESSAGES.InvalidS3DestinationBucket);
      await expectSdkError(sdkPut(configuration), "InvalidS3DestinationBucket", 400);
    },
  );

  it("MalformedXML before IdMismatch before InvalidS3DestinationBucket", async () => {
    expectS3Error(
      await put(edited(plainName, "Destination.S3BucketDestination.Format", "XLS"), "y"),
      400,
      "MalformedXML",
    );
    expectS3Error(await put(plainName, "y"), 400, "IdMismatch");
    expectS3Error(await put(plainName), 400, "InvalidS3DestinationBucket");
  });
});

describe("missing configurations and buckets", () => {
  it("Get and Delete of an unknown id: 404 NoSuchConfiguration", async () => {
    expectS3Error(
      await raw.get(suite.port, bucket, "never-put"),
      404,
      "NoSuchConfiguration",
      MESSAGES.NoSuchConfiguration,
    );
    expectS3Error(
      await raw.delete(suite.port, bucket, "never-put"),
      404,
      "NoSuchConfiguration",
      MESSAGES.NoSuchConfiguration,
    );
    await expectSdkError(
      suite.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: "never-put" })),
      "NoSuchConfiguration",
      404,
    );
  });

  it("NoSuchBucket comes first, even for a malformed body or an id mismatch", async () => {
    const missing = bucketName("missing");
    for (const response of [
      await putXml("not xml", "x", missing),
      await put(valid, "y", missing),
      await raw.get(suite.port, missing, "x"),
      await raw.list(suite.port, missing),
      await raw.list(suite.port, missing, "bad token"),
      await raw.delete(suite.port, missing, "x"),
    ]) {
      expectS3Error(response, 404, "NoSuchBucket", "The specified bucket does not exist");
      expect(response.text).toContain(`<BucketName>${missing}</BucketName>`);
    }
    await expectSdkError(
      suite.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: missing })),
      "NoSuchBucket",
      404,
    );
  });
});

describe("Id rules (spec §1.2: 1-64 of [A-Za-z0-9._-])", () => {
  it.each(["a".repeat(65), "a b", "a/b", "é"])("Id %j: 400 InvalidArgument", async (id) => {
    expectS3Error(await put(edited(valid, "Id", id), id), 400, "InvalidArgument");
    await expectSdkError(sdkPut(edited(valid, "Id", id)), "InvalidArgument", 400);
  });

  it("64 characters of every allowed kind are accepted and read back", async () => {
    const id = `Az09._-${"b".repeat(57)}`;
    expect(id).toHaveLength(64);
    const response = await put(edited(valid, "Id", id), id);
    expect(response.status, response.text).toBe(204);
    const got = await suite.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id }));
    expect(got.InventoryConfiguration).toEqual(edited(valid, "Id", id));
  });
});

describe("1,000 configurations per bucket", () => {
  it("the 1,001st new id is 400 TooManyConfigurations; replacing one is fine; after a delete a new one fits", async () => {
    const full = await newBucket();
    const ids = Array.from({ length: 1000 }, (_, n) => `c${String(n).padStart(4, "0")}`);
    await putMany(
      suite.port,
      full,
      ids.map((id) => minimalConfiguration(id, "dest-bucket")),
      100,
    );
    const extra = minimalConfiguration("one-too-many", "dest-bucket");
    expectS3Error(await put(extra, "one-too-many", full), 400, "TooManyConfigurations");
    await expectSdkError(sdkPut(extra, "one-too-many", suite.s3, full), "TooManyConfigurations", 400);
    expect((await put(fullConfiguration("c0500", "other-dest"), "c0500", full)).status).toBe(204);
    expect((await raw.delete(suite.port, full, "c0000")).status).toBe(204);
    expect((await put(extra, "one-too-many", full)).status).toBe(204);
    expectS3Error(await put(minimalConfiguration("another", "d-b"), "another", full), 400, "TooManyConfigurations");
  }, 120_000);
});

describe("permissions of another identity (bob, another account)", () => {
  const asBob = () => sdkAs(suite.endpoint, bob);
  const policy = (target: string, action: string) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: bob.arn }, Action: action, Resource: `arn:aws:s3:::${target}` }],
    });
  const all = (client: S3Client, target: string) => ({
    put: () => sdkPut(minimalConfiguration("bobs", "dest-bucket"), "bobs", client, target),
    get: () => client.send(new GetBucketInventoryConfigurationCommand({ Bucket: target, Id: "x" })),
    list: () => client.send(new ListBucketInventoryConfigurationsCommand({ Bucket: target })),
    delete: () => client.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: target, Id: "x" })),
  });

  async function bucketWith(action?: string): Promise<string> {
    const target = await newBucket();
    expect((await put(valid, "x", target)).status).toBe(204);
    if (action) await suite.s3.send(new PutBucketPolicyCommand({ Bucket: target, Policy: policy(target, action) }));
    return target;
  }

  it("without a policy: 403 AccessDenied on all four", async () => {
    const ops = all(asBob(), await bucketWith());
    for (const op of [ops.put, ops.get, ops.list, ops.delete]) await expectDenied(op());
  });

  it("s3:GetInventoryConfiguration allows Get and List, not Put or Delete", async () => {
    const ops = all(asBob(), await bucketWith("s3:GetInventoryConfiguration"));
    expect((await ops.get()).InventoryConfiguration).toEqual(valid);
    expect((await ops.list()).InventoryConfigurationList).toEqual([valid]);
    await expectDenied(ops.put());
    await expectDenied(ops.delete());
  });

  it("s3:PutInventoryConfiguration allows Put and Delete, not Get or List", async () => {
    const target = await bucketWith("s3:PutInventoryConfiguration");
    const ops = all(asBob(), target);
    expect((await ops.put()).$metadata.httpStatusCode).toBe(204);
    expect((await ops.delete()).$metadata.httpStatusCode).toBe(204);
    await expectDenied(ops.get());
    await expectDenied(ops.list());
    expectS3Error(await raw.get(suite.port, target, "x"), 404, "NoSuchConfiguration");
    expect((await raw.get(suite.port, target, "bobs")).status).toBe(200);
  });
});

describe("x-amz-expected-bucket-owner", () => {
  it("the owner's account passes; another account is 403 AccessDenied on all four", async () => {
    const ok = { "x-amz-expected-bucket-owner": OWNER_ACCOUNT };
    expect((await raw.put(suite.port, bucket, "owned", inventoryXml(edited(valid, "Id", "owned")), ok)).status).toBe(
      204,
    );
    expect((await raw.get(suite.port, bucket, "owned", ok)).status).toBe(200);
    expect((await raw.list(suite.port, bucket, undefined, ok)).status).toBe(200);
    const wrong = { "x-amz-expected-bucket-owner": "111122223333" };
    expectS3Error(
      await raw.put(suite.port, bucket, "owned", inventoryXml(edited(valid, "Id", "owned")), wrong),
      403,
      "AccessDenied",
    );
    expectS3Error(await raw.get(suite.port, bucket, "owned", wrong), 403, "AccessDenied");
    expectS3Error(await raw.list(suite.port, bucket, undefined, wrong), 403, "AccessDenied");
    expectS3Error(await raw.delete(suite.port, bucket, "owned", wrong), 403, "AccessDenied");
    await expectDenied(
      suite.s3.send(
        new GetBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: "owned",
          ExpectedBucketOwner: "111122223333",
        }),
      ),
    );
    expect((await raw.delete(suite.port, bucket, "owned", ok)).status).toBe(204);
  });
});
