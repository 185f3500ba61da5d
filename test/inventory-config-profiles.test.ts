// What the coreweave profile changes in the configuration API (spec/inventory.md §3, DESIGN.md "Profiles"): formats
// TSV and JSON, LastAccessedDate instead of the AWS-only fields, IncludedObjectVersions `Latest`, the missing-config
// code, and the destination policy checked at PUT (IllegalInventoryConfigurationException); AWS checks only at delivery.
import {
  GetBucketInventoryConfigurationCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketName } from "./support/emulator.js";
import {
  ALL_AWS_FIELDS,
  type Configuration,
  edited,
  forSdk,
  inventoryXml,
  MESSAGES,
  minimalConfiguration,
  raw,
  startInventoryEmulator,
} from "./support/inventory.js";
import { createBucket, expectS3Error } from "./support/raw-http.js";
import { expectSdkError } from "./support/sdk.js";
import { type EmulatorSuite, useEmulator } from "./support/suite.js";

const COREWEAVE_FIELDS = [
  "Size",
  "LastModifiedDate",
  "LastAccessedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "EncryptionStatus",
  "ChecksumAlgorithm",
];
const SERVICE = { CW: "arn:aws:iam::static:role/static/inventory" };

const aws = useEmulator({ start: () => startInventoryEmulator({ profile: "aws" }) });
const cw = useEmulator({ start: () => startInventoryEmulator({ profile: "coreweave" }) });
let cwSource: string;
let cwDestination: string; // with the seed's destination policy
let awsSource: string;

/** A policy letting `principal` do `action` on `resource` (seeds/000's service statement by default). */
const grant = (resource: string, principal: object = SERVICE, action = "s3:PutObject") =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowServiceAccountWriteReportsToDestination",
        Effect: "Allow",
        Principal: principal,
        Action: action,
        Resource: [resource],
      },
    ],
  });

async function bucketOn(target: EmulatorSuite, policy?: (bucket: string) => string): Promise<string> {
  const bucket = await createBucket(target.port, bucketName("prof"));
  if (policy) await target.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy(bucket) }));
  return bucket;
}

beforeAll(async () => {
  awsSource = await bucketOn(aws);
  cwSource = await bucketOn(cw);
  cwDestination = await bucketOn(cw, (b) => grant(`arn:aws:s3:::${b}/*`));
});

const putOn = (emulator: EmulatorSuite, source: string, configuration: Configuration) =>
  raw.put(emulator.port, source, configuration.Id as string, inventoryXml(configuration));
const getOn = (client: S3Client, source: string, id: string) =>
  client.send(new GetBucketInventoryConfigurationCommand({ Bucket: source, Id: id }));
const cwConfiguration = (id: string, destination = cwDestination) => minimalConfiguration(id, destination);
const awsConfiguration = (id: string) => minimalConfiguration(id, "dest-bucket");

/** Accepted (204) and read back unchanged. */
async function expectAccepted(emulator: EmulatorSuite, source: string, configuration: Configuration) {
  const response = await putOn(emulator, source, configuration);
  expect(response.status, response.text).toBe(204);
  expect((await getOn(emulator.s3, source, configuration.Id as string)).InventoryConfiguration).toEqual(configuration);
}

describe("formats", () => {
  it.each(["CSV", "TSV", "JSON", "ORC", "Parquet"])("coreweave accepts %s", async (format) => {
    const configuration = edited(cwConfiguration(`f-${format}`), "Destination.S3BucketDestination.Format", format);
    await expectAccepted(cw, cwSource, configuration);
  });

  it.each(["TSV", "JSON"])("aws refuses %s with MalformedXML", async (format) => {
    const configuration = edited(awsConfiguration(`f-${format}`), "Destination.S3BucketDestination.Format", format);
    expectS3Error(await putOn(aws, awsSource, configuration), 400, "MalformedXML", MESSAGES.MalformedXML);
  });

  it.each(["Avro", "csv"])("coreweave refuses %s with MalformedXML", async (format) => {
    const configuration = edited(cwConfiguration("bad-format"), "Destination.S3BucketDestination.Format", format);
    expectS3Error(await putOn(cw, cwSource, configuration), 400, "MalformedXML", MESSAGES.MalformedXML);
  });
});

describe("optional fields", () => {
  it("coreweave accepts its 8 fields, LastAccessedDate included", async () => {
    await expectAccepted(cw, cwSource, { ...cwConfiguration("cw-fields"), OptionalFields: COREWEAVE_FIELDS });
  });

  it("aws accepts its 19 fields and refuses LastAccessedDate", async () => {
    await expectAccepted(aws, awsSource, { ...awsConfiguration("aws-fields"), OptionalFields: ALL_AWS_FIELDS });
    const configuration = { ...awsConfiguration("last-accessed"), OptionalFields: ["Size", "LastAccessedDate"] };
    expectS3Error(await putOn(aws, awsSource, configuration), 400, "MalformedXML");
  });

  const awsOnly = ALL_AWS_FIELDS.filter((field) => !COREWEAVE_FIELDS.includes(field));
  it.each(awsOnly)("coreweave refuses the AWS-only field %s", async (field) => {
    const configuration = { ...cwConfiguration("aws-only"), OptionalFields: ["Size", field] };
    expectS3Error(await putOn(cw, cwSource, configuration), 400, "MalformedXML", MESSAGES.MalformedXML);
  });
});

describe("IncludedObjectVersions", () => {
  it.each(["Latest", "Current", "All"])("coreweave accepts %s and echoes it", async (value) => {
    await expectAccepted(cw, cwSource, {
      ...cwConfiguration(`v-${value}`),
      IncludedObjectVersions: value as "All",
    });
  });

  it("aws refuses Latest with MalformedXML", async () => {
    const configuration = { ...awsConfiguration("latest"), IncludedObjectVersions: "Latest" };
    expectS3Error(await putOn(aws, awsSource, configuration), 400, "MalformedXML");
  });
});

describe("missing configurations", () => {
  it("coreweave: Get and Delete of an unknown id are 404 NoSuchInventoryConfiguration", async () => {
    expectS3Error(
      await raw.get(cw.port, cwSource, "nope"),
      404,
      "NoSuchInventoryConfiguration",
      MESSAGES.NoSuchConfiguration,
    );
    expectS3Error(await raw.delete(cw.port, cwSource, "nope"), 404, "NoSuchInventoryConfiguration");
    await expectSdkError(getOn(cw.s3, cwSource, "nope"), "NoSuchInventoryConfiguration", 404);
  });

  it("aws: the same is NoSuchConfiguration", async () => {
    expectS3Error(await raw.get(aws.port, awsSource, "nope"), 404, "NoSuchConfiguration");
    expectS3Error(await raw.delete(aws.port, awsSource, "nope"), 404, "NoSuchConfiguration");
  });
});

describe("coreweave checks the destination policy at PUT", () => {
  /** Refused with 400 IllegalInventoryConfigurationException, and nothing stored. */
  async function expectIllegal(configuration: Configuration) {
    expectS3Error(await putOn(cw, cwSource, configuration), 400, "IllegalInventoryConfigurationException");
    expectS3Error(await raw.get(cw.port, cwSource, configuration.Id as string), 404, "NoSuchInventoryConfiguration");
  }

  it("the seed's destination policy (`CW` static inventory role, s3:PutObject on DEST/*): 204", async () => {
    await expectAccepted(cw, cwSource, cwConfiguration("seed-policy"));
  });

  it("no policy on the destination, or no such bucket: refused", async () => {
    await expectIllegal(cwConfiguration("no-policy", await bucketOn(cw)));
    await expectIllegal(cwConfiguration("no-bucket", bucketName("missing")));
    const error = await expectSdkError(
      cw.s3.send(
        new PutBucketInventoryConfigurationCommand({
          Bucket: cwSource,
          Id: "sdk",
          InventoryConfiguration: forSdk(cwConfiguration("sdk", await bucketOn(cw))),
        }),
      ),
      "IllegalInventoryConfigurationException",
      400,
    );
    expect(error.message).toMatch(/\S/);
  });

  it("a policy for another principal, or another action: refused", async () => {
    const other = await bucketOn(cw, (b) =>
      grant(`arn:aws:s3:::${b}/*`, { CW: "arn:aws:iam::static:role/static/other" }),
    );
    await expectIllegal(cwConfiguration("other-principal", other));
    const user = await bucketOn(cw, (b) => grant(`arn:aws:s3:::${b}/*`, { CW: "arn:aws:iam::my-org:coreweave/alice" }));
    await expectIllegal(cwConfiguration("user-principal", user));
    const read = await bucketOn(cw, (b) => grant(`arn:aws:s3:::${b}/*`, SERVICE, "s3:GetObject"));
    await expectIllegal(cwConfiguration("get-only", read));
  });

  it("the service's grant is on another bucket's policy: refused for this one, accepted for that one", async () => {
    const granted = await bucketOn(cw, (b) => grant(`arn:aws:s3:::${b}/*`));
    const userOnly = await bucketOn(cw, (b) =>
      grant(`arn:aws:s3:::${b}/*`, { CW: "arn:aws:iam::my-org:coreweave/alice" }),
    );
    await expectIllegal(cwConfiguration("elsewhere", userOnly));
    await expectAccepted(cw, cwSource, cwConfiguration("there", granted));
  });

  it("a policy scoped to a prefix: accepted for a destination Prefix inside it, refused outside", async () => {
    const scoped = await bucketOn(cw, (b) => grant(`arn:aws:s3:::${b}/inventory-reports/*`));
    const withPrefix = (id: string, prefix?: string) =>
      edited(cwConfiguration(id, scoped), "Destination.S3BucketDestination.Prefix", prefix);
    await expectAccepted(cw, cwSource, withPrefix("in-prefix", "inventory-reports/"));
    await expectAccepted(cw, cwSource, withPrefix("in-prefix-no-slash", "inventory-reports"));
    await expectIllegal(withPrefix("no-prefix"));
    await expectIllegal(withPrefix("other-prefix", "reports/"));
  });

  it("a Deny for the service beats the Allow: refused", async () => {
    const denied = await bucketOn(cw, (b) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: SERVICE, Action: "s3:PutObject", Resource: `arn:aws:s3:::${b}/*` },
          { Effect: "Deny", Principal: SERVICE, Action: "s3:PutObject", Resource: `arn:aws:s3:::${b}/*` },
        ],
      }),
    );
    await expectIllegal(cwConfiguration("denied", denied));
  });
});

describe("aws checks the destination only at delivery", () => {
  it("a destination without any policy, or a bucket that does not exist: 204", async () => {
    const noPolicy = await bucketOn(aws);
    await expectAccepted(aws, awsSource, minimalConfiguration("no-policy", noPolicy));
    await expectAccepted(aws, awsSource, minimalConfiguration("missing", bucketName("missing")));
  });
});
