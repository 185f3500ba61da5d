import {
  decodeContinuationToken,
  encodeContinuationToken,
  renderNodes,
  S3_NAMESPACE,
  S3Error,
  type XmlNode,
} from "@inv-emulator/s3";
import type { InventoryHost } from "../host.js";
import { LIST_PAGE_SIZE, MAX_CONFIGURATIONS } from "../profiles.js";
import { destinationBucket, type InventoryConfiguration } from "./inventory-configuration.js";
import { parseConfiguration } from "./parse-configuration.js";
import { configurationNodes } from "./render-configuration.js";

/**
 * The four inventory configuration operations of spec/inventory.md §1, independent of the HTTP server:
 * each takes plain inputs and returns the response document (or nothing), throwing S3Errors.
 */

// Inventory responses start without a newline after the declaration, as recorded from AWS (§1.3).
const document = (root: string, children: XmlNode[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${S3_NAMESPACE}">${renderNodes(children)}</${root}>`;

function requireId(id: string | null): string {
  if (id === null || id === "") {
    throw new S3Error("InvalidArgument", { message: "Missing required parameter: id", fields: { ArgumentName: "id" } });
  }
  return id;
}

function load(host: InventoryHost, bucket: string, id: string): InventoryConfiguration {
  const stored = host.configurations.get(bucket, id);
  if (stored === undefined) throw new S3Error(host.profile.missingConfigurationError);
  return JSON.parse(stored) as InventoryConfiguration;
}

/** The key the service would write first under the destination prefix, for a write-permission probe. */
function probeKey(configuration: InventoryConfiguration, sourceBucket: string): string {
  const prefix = configuration.destination.prefix ? `${configuration.destination.prefix.replace(/\/+$/, "")}/` : "";
  return `${prefix}${sourceBucket}/${configuration.id}/data/probe`;
}

export function putConfiguration(
  host: InventoryHost,
  input: { bucket: string; id: string | null; body: Buffer },
): void {
  host.requireBucket(input.bucket);
  const configuration = parseConfiguration(input.body, requireId(input.id), host.profile);
  if (host.profile.checkDestinationAtPut) {
    const destination = destinationBucket(configuration);
    if (
      !host.bucketExists(destination) ||
      !host.serviceMayWrite(destination, probeKey(configuration, input.bucket), input.bucket)
    ) {
      throw new S3Error("IllegalInventoryConfigurationException");
    }
  }
  const isNew = host.configurations.get(input.bucket, configuration.id) === undefined;
  if (isNew && host.configurations.count(input.bucket) >= MAX_CONFIGURATIONS)
    throw new S3Error("TooManyConfigurations");
  host.configurations.put(input.bucket, configuration.id, JSON.stringify(configuration));
}

export function getConfiguration(host: InventoryHost, input: { bucket: string; id: string | null }): string {
  host.requireBucket(input.bucket);
  return document("InventoryConfiguration", configurationNodes(load(host, input.bucket, requireId(input.id))));
}

export function deleteConfiguration(host: InventoryHost, input: { bucket: string; id: string | null }): void {
  host.requireBucket(input.bucket);
  const id = requireId(input.id);
  if (!host.configurations.delete(input.bucket, id)) throw new S3Error(host.profile.missingConfigurationError);
}

/** Sorted by Id, 100 a page; IsTruncated always present; the request's token echoed (§1.3). */
export function listConfigurations(
  host: InventoryHost,
  input: { bucket: string; continuationToken: string | null },
): string {
  host.requireBucket(input.bucket);
  const after = input.continuationToken === null ? "" : decodeContinuationToken(input.continuationToken);
  const rows = host.configurations.list(input.bucket, after, LIST_PAGE_SIZE + 1);
  const page = rows.slice(0, LIST_PAGE_SIZE);
  const truncated = rows.length > LIST_PAGE_SIZE;
  return document("ListInventoryConfigurationsResult", [
    ["ContinuationToken", input.continuationToken ?? undefined],
    ...page.map((row): XmlNode => ["InventoryConfiguration", configurationNodes(JSON.parse(row.body))]),
    ["IsTruncated", truncated],
    ["NextContinuationToken", truncated ? encodeContinuationToken(page.at(-1)?.id ?? "") : undefined],
  ]);
}

/** Every configuration of a bucket (for schedules and run-now), in Id order. */
export function* allConfigurations(host: InventoryHost, bucket: string): Generator<InventoryConfiguration> {
  let after = "";
  for (;;) {
    const rows = host.configurations.list(bucket, after, LIST_PAGE_SIZE);
    for (const row of rows) yield JSON.parse(row.body) as InventoryConfiguration;
    if (rows.length < LIST_PAGE_SIZE) return;
    after = rows.at(-1)?.id ?? "";
  }
}

export function findConfiguration(host: InventoryHost, bucket: string, id: string): InventoryConfiguration {
  host.requireBucket(bucket);
  return load(host, bucket, id);
}
