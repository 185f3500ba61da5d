import type { XmlNode } from "@inv-emulator/s3";
import type { InventoryConfiguration } from "./inventory-configuration.js";

/**
 * The configuration as GET and List return it, in one stable element order (spec/inventory.md §1.2:
 * Id, IsEnabled, Filter, Destination, Schedule, IncludedObjectVersions, OptionalFields), booleans lower-case.
 */
export function configurationNodes(configuration: InventoryConfiguration): XmlNode[] {
  const { destination } = configuration;
  const encryption: XmlNode[] | undefined =
    destination.encryption?.type === "SSE-KMS"
      ? [["SSE-KMS", [["KeyId", destination.encryption.keyId]]]]
      : destination.encryption
        ? [["SSE-S3", []]]
        : undefined;
  return [
    ["Id", configuration.id],
    ["IsEnabled", configuration.isEnabled],
    ["Filter", configuration.filterPrefix === undefined ? undefined : [["Prefix", configuration.filterPrefix]]],
    [
      "Destination",
      [
        [
          "S3BucketDestination",
          [
            ["AccountId", destination.accountId],
            ["Bucket", destination.bucketArn],
            ["Format", destination.format],
            ["Prefix", destination.prefix],
            ["Encryption", encryption],
          ],
        ],
      ],
    ],
    ["Schedule", [["Frequency", configuration.frequency]]],
    ["IncludedObjectVersions", configuration.includedObjectVersions],
    ["OptionalFields", configuration.optionalFields?.map((field): XmlNode => ["Field", field])],
  ];
}
