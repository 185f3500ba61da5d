// The four inventory configuration operations through boto3 (Debian 1.26 / botocore 1.29) and the JS SDK, comparing
// what each client parses back with what was put; then the wire forms clients send (spec/clients.md §1.3: any
// element order, declaration and namespace optional, `/b/?id=x&inventory=` with `x-id=`), HEAD, upsert, and List
// paging over 250 configurations (spec/inventory.md §1.3).
import {
  CreateBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  GetBucketInventoryConfigurationCommand,
  ListBucketInventoryConfigurationsCommand,
  type ListBucketInventoryConfigurationsCommandOutput,
  PutBucketInventoryConfigurationCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { boto3, bucketName } from "./support/emulator.js";
import {
  type Configuration,
  edited,
  forSdk,
  fullConfiguration,
  inventoryXml,
  minimalConfiguration,
  putMany,
  raw,
  shuffled,
  startInventoryEmulator,
} from "./support/inventory.js";
import { createBucket, expectS3Error, rawRequest } from "./support/raw-http.js";
import { expectSdkError } from "./support/sdk.js";
import { useEmulator } from "./support/suite.js";

const suite = useEmulator({ start: startInventoryEmulator });
const newBucket = () => createBucket(suite.port, bucketName("inv"));

const sdkGet = async (bucket: string, id: string) =>
  (await suite.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id }))).InventoryConfiguration;

// Every shape a client can send: SSE-KMS with all 19 AWS fields, SSE-S3, and only the required members.
const variants = (destination: string): [string, Configuration][] => [
  ["every member, SSE-KMS, 19 fields, IsEnabled false", fullConfiguration("full", destination)],
  [
    "SSE-S3, a Filter with an empty prefix",
    edited(
      edited(minimalConfiguration("sse-s3", destination), "Destination.S3BucketDestination.Encryption", { SSES3: {} }),
      "Filter",
      { Prefix: "" },
    ),
  ],
  ["only the required members", minimalConfiguration("minimal", destination)],
];

describe("boto3 1.26 (botocore 1.29)", () => {
  it.each(variants("dest-bucket"))("put, get, list, delete: %s", async (_label, configuration) => {
    const bucket = bucketName("boto");
    const result = await boto3<Record<string, unknown>>(
      suite.endpoint,
      `
cfg = json.loads(${JSON.stringify(JSON.stringify(configuration))})
B = ${JSON.stringify(bucket)}
out = {}
s3.create_bucket(Bucket=B)
out['put'] = s3.put_bucket_inventory_configuration(Bucket=B, Id=cfg['Id'], InventoryConfiguration=cfg)['ResponseMetadata']['HTTPStatusCode']
out['get'] = s3.get_bucket_inventory_configuration(Bucket=B, Id=cfg['Id'])['InventoryConfiguration']
listed = s3.list_bucket_inventory_configurations(Bucket=B)
listed.pop('ResponseMetadata')
out['list'] = listed
out['delete'] = s3.delete_bucket_inventory_configuration(Bucket=B, Id=cfg['Id'])['ResponseMetadata']['HTTPStatusCode']
try:
    s3.get_bucket_inventory_configuration(Bucket=B, Id=cfg['Id'])
except ClientError as e:
    out['missing'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
out['empty'] = {k: v for k, v in s3.list_bucket_inventory_configurations(Bucket=B).items() if k != 'ResponseMetadata'}
print(json.dumps(out))
`,
    );
    expect(result).toEqual({
      put: 204,
      get: configuration,
      list: { InventoryConfigurationList: [configuration], IsTruncated: false },
      delete: 204,
      missing: ["NoSuchConfiguration", "The specified configuration does not exist.", 404],
      empty: { IsTruncated: false },
    });
  });
});

describe("@aws-sdk/client-s3", () => {
  it.each(variants("dest-bucket"))("put, get, list, delete: %s", async (_label, configuration) => {
    const bucket = bucketName("sdk");
    await suite.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const id = configuration.Id as string;
    const put = await suite.s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: bucket,
        Id: id,
        InventoryConfiguration: forSdk(configuration),
      }),
    );
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect(await sdkGet(bucket, id)).toEqual(configuration);
    const listed = await suite.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
    expect({ list: listed.InventoryConfigurationList, truncated: listed.IsTruncated }).toEqual({
      list: [configuration],
      truncated: false,
    });
    const deleted = await suite.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const missing = await expectSdkError(sdkGet(bucket, id), "NoSuchConfiguration", 404);
    expect(missing.message).toBe("The specified configuration does not exist.");
    await expectSdkError(
      suite.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: id })),
      "NoSuchConfiguration",
      404,
    );
  });

  it("PUT of the same id replaces the configuration (upsert)", async () => {
    const bucket = await newBucket();
    const first = minimalConfiguration("same", "first-dest");
    const second = fullConfiguration("same", "second-dest");
    for (const configuration of [first, second]) {
      await suite.s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: bucket,
          Id: "same",
          InventoryConfiguration: forSdk(configuration),
        }),
      );
    }
    expect(await sdkGet(bucket, "same")).toEqual(second);
    const listed = await suite.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }));
    expect(listed.InventoryConfigurationList).toEqual([second]);
  });
});

describe("what goes on the wire", () => {
  const configuration = fullConfiguration("x", "dest-bucket");
  const forms: [string, string][] = [
    ["model order with declaration and namespace", inventoryXml(configuration)],
    [
      "shuffled, no declaration, no namespace",
      inventoryXml(configuration, { order: shuffled, declaration: false, namespace: false }),
    ],
    [
      "reversed, declaration, no namespace",
      inventoryXml(configuration, { order: (n) => [...n].reverse(), namespace: false }),
    ],
    [
      "another shuffle, namespace, no declaration",
      inventoryXml(configuration, { order: (n) => shuffled(n, 99), declaration: false }),
    ],
  ];

  it.each(forms)("a PUT in any element order parses the same: %s", async (_label, body) => {
    const bucket = await newBucket();
    const response = await raw.put(suite.port, bucket, "x", body);
    expect(response.status, response.text).toBe(204);
    expect(await sdkGet(bucket, "x")).toEqual(configuration);
  });

  it("the JS SDK's paths (`/b/?id=x&inventory=`) with `x-id=` noise, for all four operations", async () => {
    const bucket = await newBucket();
    const path = (rest: string) => `/${bucket}/?${rest}`;
    const body = inventoryXml(configuration, { order: (n) => [...n].reverse() });
    const put = await rawRequest(suite.port, {
      method: "PUT",
      path: path("id=x&inventory=&x-id=PutBucketInventoryConfiguration"),
      headers: { "content-type": "application/xml" },
      body,
    });
    expect(put.status, put.text).toBe(204);
    const get = await rawRequest(suite.port, {
      method: "GET",
      path: path("id=x&inventory=&x-id=GetBucketInventoryConfiguration"),
    });
    expect(get.status).toBe(200);
    expect(get.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><InventoryConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><Id>x<\/Id>/,
    );
    const list = await rawRequest(suite.port, {
      method: "GET",
      path: path("inventory=&x-id=ListBucketInventoryConfigurations"),
    });
    expect(list.text.match(/<Id>/g)).toHaveLength(1);
    const del = await rawRequest(suite.port, {
      method: "DELETE",
      path: path("id=x&inventory=&x-id=DeleteBucketInventoryConfiguration"),
      headers: { "content-length": 0 },
    });
    expect(del.status).toBe(204);
    expectS3Error(await raw.get(suite.port, bucket, "x"), 404, "NoSuchConfiguration");
  });

  it("HEAD ?inventory is 405 MethodNotAllowed and allows GET", async () => {
    const bucket = await newBucket();
    const response = await rawRequest(suite.port, { method: "HEAD", path: `/${bucket}?inventory` });
    expect(response.status).toBe(405);
    expect(response.headers.allow?.split(/,\s*/)).toContain("GET");
  });

  it("HEAD ?inventory's Allow header is exactly GET, as recorded from AWS (spec/inventory.md §1.1 [O REC])", async () => {
    const response = await rawRequest(suite.port, { method: "HEAD", path: `/${await newBucket()}?inventory` });
    expect(response.headers.allow).toBe("GET");
  });

  it("POST ?inventory is 405 too, and its Allow header lists every method of the sub-resource", async () => {
    const response = await rawRequest(suite.port, { method: "POST", path: `/${await newBucket()}?inventory` });
    expect(response.status).toBe(405);
    expect(response.headers.allow?.split(/,\s*/).sort()).toEqual(["DELETE", "GET", "PUT"]);
  });

  it("an empty list is byte-exact, status 200, without Content-Type", async () => {
    const bucket = await newBucket();
    const response = await raw.list(suite.port, bucket);
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ListInventoryConfigurationsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated></ListInventoryConfigurationsResult>',
    );
    expect(response.headers["content-type"]).toBeUndefined();
  });
});

describe("List paging", () => {
  // Ids whose byte order differs from insertion, numeric and case-insensitive order.
  const ids = ["a", "B", "z.", "Z_", "0-"].flatMap((prefix) => Array.from({ length: 50 }, (_, n) => `${prefix}${n}`));
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket();
    await putMany(
      suite.port,
      bucket,
      shuffled(ids, 3).map((id) => minimalConfiguration(id, "dest-bucket")),
    );
  }, 120_000);

  it("250 configurations come in pages of 100/100/50, sorted by Id, following NextContinuationToken", async () => {
    const pages: ListBucketInventoryConfigurationsCommandOutput[] = [];
    let token: string | undefined;
    do {
      const page = await suite.s3.send(
        new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }),
      );
      expect(page.ContinuationToken).toBe(token);
      pages.push(page);
      token = page.NextContinuationToken;
    } while (token !== undefined && pages.length < 5);
    expect(
      pages.map((p) => [p.InventoryConfigurationList?.length, p.IsTruncated, p.NextContinuationToken !== undefined]),
    ).toEqual([
      [100, true, true],
      [100, true, true],
      [50, false, false],
    ]);
    const listed = pages.flatMap((p) => p.InventoryConfigurationList ?? []);
    expect(listed.map((c) => c.Id)).toEqual([...ids].sort());
    expect(listed[0]).toEqual(minimalConfiguration([...ids].sort()[0] as string, "dest-bucket"));
  });

  it("raw pages: IsTruncated always present, the token echoed first, NextContinuationToken only when truncated", async () => {
    const first = await raw.list(suite.port, bucket);
    const next = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(first.text)?.[1] as string;
    expect(first.text).toContain("<IsTruncated>true</IsTruncated>");
    expect(first.text).not.toContain("<ContinuationToken>");
    const second = await raw.list(suite.port, bucket, next);
    expect(second.text).toMatch(
      new RegExp(
        `^<\\?xml[^>]*><ListInventoryConfigurationsResult [^>]*><ContinuationToken>${next}</ContinuationToken><InventoryConfiguration>`,
      ),
    );
    const last = await raw.list(suite.port, bucket, /<NextContinuationToken>([^<]+)</.exec(second.text)?.[1]);
    expect(last.text).toContain("<IsTruncated>false</IsTruncated>");
    expect(last.text).not.toContain("<NextContinuationToken>");
  });

  it("an invalid continuation token is 400 InvalidArgument", async () => {
    expectS3Error(await raw.list(suite.port, bucket, "not a token!"), 400, "InvalidArgument");
    await expectSdkError(
      suite.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket, ContinuationToken: "%%%" })),
      "InvalidArgument",
      400,
    );
  });
});
