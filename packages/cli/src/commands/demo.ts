import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { INVENTORY_PROFILES, type InventoryEmulator, startInventoryEmulator } from "@inv-emulator/inventory";
import { latestReport } from "@inv-emulator/testing";
import type { Command, Output } from "../command.js";
import { connectionHelp } from "../connection-help.js";
import { EMULATOR_FLAGS, emulatorOptions } from "../emulator-flags.js";
import { renderTable } from "../table.js";
import { untilStopped } from "../until-stopped.js";

const SOURCE = "demo-source";
const DESTINATION = "demo-reports";
/** Fields every report of the demo asks for (both profiles know them). */
const FIELDS = [
  "Size",
  "LastModifiedDate",
  "ETag",
  "StorageClass",
  "IsMultipartUploaded",
  "EncryptionStatus",
  "ChecksumAlgorithm",
];

/** The destination policy each service documents for its inventory principal (spec/inventory.md §2.12, §3). */
function destinationPolicy(profile: "aws" | "coreweave"): string {
  const principal =
    profile === "aws" ? { Service: "s3.amazonaws.com" } : { CW: INVENTORY_PROFILES.coreweave.servicePrincipal.arn };
  const statement = {
    Sid: "InventoryReports",
    Effect: "Allow",
    Principal: principal,
    Action: "s3:PutObject",
    Resource: `arn:aws:s3:::${DESTINATION}/*`,
    ...(profile === "aws" ? { Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${SOURCE}` } } } : {}),
  };
  const owner = {
    Sid: "Owner",
    Effect: "Allow",
    Principal: { CW: "*" },
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${DESTINATION}`, `arn:aws:s3:::${DESTINATION}/*`],
  };
  // CoreWeave denies everyone a policy does not name, so the demo grants itself access too.
  return JSON.stringify({ Version: "2012-10-17", Statement: profile === "aws" ? [statement] : [statement, owner] });
}

/** A realistic bucket: folders, versions, a delete marker, a multipart object, unicode and odd keys. */
async function fillSource(s3: S3Client): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: SOURCE }));
  await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: "readme.txt", Body: "from before versioning" }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: SOURCE, VersioningConfiguration: { Status: "Enabled" } }));
  const keys = [
    "photos/2024/cat.jpg",
    "photos/2024/dog.jpg",
    "logs/app.log",
    "docs/résumé.pdf",
    "docs/年报 2025.txt",
    "odd/a+b c%d,e.txt",
    "folder/",
  ];
  for (const key of keys)
    await s3.send(
      new PutObjectCommand({
        Bucket: SOURCE,
        Key: key,
        Body: `content of ${key}`,
        StorageClass: key.startsWith("logs/") ? "STANDARD_IA" : "STANDARD",
      }),
    );
  await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: "readme.txt", Body: "second version" }));
  await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: "photos/2024/cat.jpg", Body: "a newer cat" }));
  await s3.send(new DeleteObjectCommand({ Bucket: SOURCE, Key: "photos/2024/dog.jpg" }));
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: SOURCE, Key: "videos/intro.mp4" }));
  const parts = [];
  for (const [index, size] of [5 * 1024 * 1024, 1024].entries()) {
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: SOURCE,
        Key: "videos/intro.mp4",
        UploadId: upload.UploadId,
        PartNumber: index + 1,
        Body: Buffer.alloc(size, index),
      }),
    );
    parts.push({ PartNumber: index + 1, ETag: part.ETag });
  }
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: SOURCE,
      Key: "videos/intro.mp4",
      UploadId: upload.UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
}

async function configureAndRun(
  s3: S3Client,
  emulator: InventoryEmulator,
  profile: "aws" | "coreweave",
  output: Output,
) {
  await s3.send(new CreateBucketCommand({ Bucket: DESTINATION }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: DESTINATION, Policy: destinationPolicy(profile) }));
  for (const format of INVENTORY_PROFILES[profile].formats) {
    const id = `daily-${format.toLowerCase()}`;
    await s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: SOURCE,
        Id: id,
        InventoryConfiguration: {
          Id: id,
          IsEnabled: true,
          IncludedObjectVersions: "All",
          Schedule: { Frequency: "Daily" },
          OptionalFields: FIELDS as never,
          Destination: {
            S3BucketDestination: {
              Bucket: `arn:aws:s3:::${DESTINATION}`,
              Format: format as never,
              Prefix: "inventory",
            },
          },
        },
      }),
    );
    const run = await emulator.inventory.run({ bucket: SOURCE, id });
    if (run.status !== "succeeded") throw new Error(`the ${format} inventory failed: ${run.reason}`);
    output.log(`${format.padEnd(8)} ${run.rowCount} rows  s3://${DESTINATION}/${run.manifestKey}`);
  }
}

export const demoCommand: Command<typeof EMULATOR_FLAGS & { keep: { type: "boolean"; description: string } }> = {
  name: "demo",
  summary:
    "Start an emulator, fill a bucket (folders, versions, delete markers, multipart, unicode keys), configure one inventory per format, run them and preview the reports.",
  flags: {
    ...EMULATOR_FLAGS,
    keep: { type: "boolean", description: "keep the emulator running after the demo (Ctrl-C stops it)" },
  },
  async run(values, output) {
    const options = emulatorOptions(values, { port: 0 });
    const emulator = await startInventoryEmulator(options);
    try {
      // The SDK warns once that its 2027 releases will need Node 22: that concerns the demo's own client, not the
      // reader of its output, and it landed in the middle of the demo's lines.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
      const s3 = new S3Client({
        endpoint: emulator.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "demo", secretAccessKey: "demo" },
      });
      output.log(`Emulator on ${emulator.endpoint} (profile ${options.profile}). Filling s3://${SOURCE} ...`);
      await fillSource(s3);
      output.log(`\nInventory reports in s3://${DESTINATION}/inventory/${SOURCE}/:`);
      await configureAndRun(s3, emulator, options.profile, output);
      for (const id of ["daily-csv", "daily-parquet"]) {
        const report = await latestReport({ bucket: SOURCE, id, client: s3 });
        const columns = Object.keys(report.rows[0] ?? {})
          .filter((c) => !/^(bucket|Bucket|ETag|e_tag)$/.test(c))
          .slice(0, 7);
        output.log(`\n${id}: ${report.manifest.fileFormat}, fileSchema "${report.manifest.fileSchema}"`);
        output.log(renderTable(report.rows.slice(0, 8), columns));
      }
      if (values.keep) {
        output.log(`\n${connectionHelp(emulator.endpoint, options.profile)}`);
        await untilStopped();
      }
    } finally {
      await emulator.close();
    }
    return 0;
  },
};
