import {
  GetBucketInventoryConfigurationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { decodeDataFile, type ReportRecord } from "./decode-report.js";
import { emulatorClient } from "./emulator-client.js";

export interface Manifest {
  sourceBucket: string;
  destinationBucket: string;
  version: string;
  creationTimestamp: string;
  fileFormat: string;
  fileSchema: string;
  files: { key: string; size: number; MD5checksum: string }[];
}

export interface Report {
  manifestKey: string;
  manifest: Manifest;
  /** Every row of every data file, decoded per format (see decodeDataFile). */
  rows: ReportRecord[];
}

async function readObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

const REPORT_FOLDER = /\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z\/$/;

/**
 * The newest complete report of an inventory configuration, found the way consumers find it (spec/inventory.md
 * §2.2): list the report folders, newest first, and take the first one whose manifest.checksum exists.
 */
export async function latestReport(input: { bucket: string; id: string; client?: S3Client }): Promise<Report> {
  const client = input.client ?? emulatorClient();
  const { InventoryConfiguration: configuration } = await client.send(
    new GetBucketInventoryConfigurationCommand({ Bucket: input.bucket, Id: input.id }),
  );
  const destination = configuration?.Destination?.S3BucketDestination;
  const destinationBucket = (destination?.Bucket ?? "").replace(/^arn:aws:s3:::/, "");
  const prefix = [(destination?.Prefix ?? "").replace(/\/+$/, ""), input.bucket, input.id].filter(Boolean).join("/");
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: destinationBucket,
        Prefix: `${prefix}/`,
        Delimiter: "/",
        ContinuationToken: token,
      }),
    );
    folders.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? "").filter((p) => REPORT_FOLDER.test(p)));
    token = page.NextContinuationToken;
  } while (token);
  for (const folder of folders.sort().reverse()) {
    const checksum = await readObject(client, destinationBucket, `${folder}manifest.checksum`).catch(() => undefined);
    if (!checksum) continue;
    const manifestKey = `${folder}manifest.json`;
    const manifest = JSON.parse(
      (await readObject(client, destinationBucket, manifestKey)).toString("utf8"),
    ) as Manifest;
    const rows: ReportRecord[] = [];
    for (const file of manifest.files) {
      rows.push(
        ...(await decodeDataFile(
          await readObject(client, destinationBucket, file.key),
          manifest.fileFormat,
          manifest.fileSchema,
        )),
      );
    }
    return { manifestKey, manifest, rows };
  }
  throw new Error(`no complete report of ${input.bucket}/${input.id} in ${destinationBucket}/${prefix}/`);
}
