import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import {
  destinationBucket,
  type InventoryConfiguration,
  includesAllVersions,
} from "../configuration/inventory-configuration.js";
import type { InventoryHost, ReportObjectOptions } from "../host.js";
import { selectColumns, snapshotFields } from "./columns.js";
import { encodeDataFile } from "./formats/encode-off-thread.js";
import { REPORT_FORMATS } from "./formats/index.js";
import { jacksonPretty } from "./jackson-json.js";
import { reportInstant, reportLayout } from "./layout.js";
import { PageBatches } from "./page-batches.js";

export interface ReportFile {
  key: string;
  size: number;
  MD5checksum: string;
  rows: number;
}

export interface ReportOutcome {
  creationTimestamp: number;
  destinationBucket: string;
  fileFormat: string;
  fileSchema: string;
  files: ReportFile[];
  manifestKey: string;
  checksumKey: string;
  symlinkKey: string;
  rowCount: number;
  bytes: number;
}

export interface ReportOptions {
  /** Split data files after this many rows (AWS splits large reports; its threshold is unknown). */
  maxRowsPerFile: number;
}

/** SSE for report objects, from the configuration's Encryption (recorded on them as AWS does). */
function reportEncryption(configuration: InventoryConfiguration): ReportObjectOptions["encryption"] {
  const encryption = configuration.destination.encryption;
  if (!encryption) return undefined;
  return encryption.type === "SSE-KMS" ? { type: "aws:kms", kmsKeyId: encryption.keyId } : { type: "AES256" };
}

const textBody = (text: string) => Readable.from([Buffer.from(text)]);

/**
 * One report, as Amazon S3 delivers it (spec/inventory.md §2; DESIGN.md data flow): a snapshot of the source
 * taken before anything is written, rows streamed through the format into data files, then symlink.txt,
 * manifest.json and manifest.checksum last (its arrival is the completion signal). Every object is written
 * as the inventory service principal, so the destination's bucket policy decides; a refusal rejects the
 * returned promise before the checksum exists.
 */
export async function runReport(
  host: InventoryHost,
  sourceBucket: string,
  configuration: InventoryConfiguration,
  atMs: number,
  options: ReportOptions,
): Promise<ReportOutcome> {
  const creationTimestamp = reportInstant(atMs);
  const destination = destinationBucket(configuration);
  const columns = selectColumns(configuration);
  const format = REPORT_FORMATS[configuration.destination.format];
  if (!format) throw new Error(`no writer for format ${configuration.destination.format}`);
  const layout = reportLayout(configuration, sourceBucket, creationTimestamp);
  const objectOptions = (contentType: string): ReportObjectOptions => ({
    contentType,
    sourceBucket,
    ...(reportEncryption(configuration) ? { encryption: reportEncryption(configuration) } : {}),
  });

  const snapshot = await host.openSnapshot(sourceBucket);
  const files: ReportFile[] = [];
  try {
    const pages = snapshot.pages(sourceBucket, {
      prefix: configuration.filterPrefix ?? "",
      currentOnly: !includesAllVersions(configuration),
      fields: snapshotFields(columns),
    });
    const batches = new PageBatches(pages[Symbol.iterator]());
    // A report always has at least one data file, even when no object matches.
    do {
      const key = layout.dataKey(randomUUID(), format.extension);
      let rows = 0;
      const body = encodeDataFile(
        format,
        columns,
        sourceBucket,
        batches.take(options.maxRowsPerFile, (count) => (rows += count)),
      );
      const stored = await host.writeAsService(destination, key, body, objectOptions(format.contentType));
      files.push({ key, size: stored.size, MD5checksum: stored.md5Hex, rows });
    } while (batches.hasMore());
  } finally {
    snapshot.close();
  }

  const symlink = files.map((file) => `s3://${destination}/${file.key}\n`).join("");
  await host.writeAsService(destination, layout.symlinkKey, textBody(symlink), objectOptions("text/plain"));
  const fileSchema = format.fileSchema(columns);
  const manifest = jacksonPretty({
    sourceBucket,
    destinationBucket: configuration.destination.bucketArn,
    version: "2016-11-30",
    creationTimestamp: String(creationTimestamp),
    fileFormat: format.fileFormat,
    fileSchema,
    files: files.map(({ key, size, MD5checksum }) => ({ key, size, MD5checksum })),
  });
  await host.writeAsService(destination, layout.manifestKey, textBody(manifest), objectOptions("application/json"));
  // manifest.checksum: the MD5 of manifest.json's bytes, hex, with a trailing newline (spec §2.4).
  const checksum = `${createHash("md5").update(manifest).digest("hex")}\n`;
  await host.writeAsService(destination, layout.checksumKey, textBody(checksum), objectOptions("text/plain"));

  return {
    creationTimestamp,
    destinationBucket: destination,
    fileFormat: format.fileFormat,
    fileSchema,
    files,
    manifestKey: layout.manifestKey,
    checksumKey: layout.checksumKey,
    symlinkKey: layout.symlinkKey,
    rowCount: files.reduce((sum, file) => sum + file.rows, 0),
    bytes: files.reduce((sum, file) => sum + file.size, 0),
  };
}
