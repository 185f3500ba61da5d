import { child, children, parseXml, S3Error, text, type XmlElement } from "@inv-emulator/s3";
import { FREQUENCIES, type InventoryProfile } from "../profiles.js";
import type { InventoryConfiguration } from "./inventory-configuration.js";

/**
 * Parses a PutBucketInventoryConfiguration body. Check order, as LocalStack recorded it against AWS
 * (spec/inventory.md §1.4): the XML and its schema first (every missing element, bad enum or unknown
 * optional field is MalformedXML), then the Id against `?id=`, then the destination bucket ARN.
 */
export function parseConfiguration(body: Buffer, queryId: string, profile: InventoryProfile): InventoryConfiguration {
  const configuration = readDocument(parseXml(body, "InventoryConfiguration"), profile);
  if (configuration.id !== queryId) throw new S3Error("IdMismatch");
  validateId(configuration.id);
  if (!DESTINATION_ARN.test(configuration.destination.bucketArn)) throw new S3Error("InvalidS3DestinationBucket");
  return configuration;
}

const DESTINATION_ARN = /^arn:aws:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Ids: the model sets no limit (spec §1.2 [U]); the emulator takes 1-64 of [A-Za-z0-9._-], as other clouds do. */
const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function validateId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new S3Error("InvalidArgument", {
      message: "The inventory configuration Id must be 1 to 64 characters of letters, digits, '.', '_' and '-'.",
      fields: { ArgumentName: "id", ArgumentValue: id },
    });
  }
}

function malformed(): S3Error {
  return new S3Error("MalformedXML");
}

/** The text of a required child element. */
function required(element: XmlElement | undefined, name: string): string {
  const value = text(element, name);
  if (value === undefined) throw malformed();
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw malformed();
  return value as T;
}

const BOOLEANS: Record<string, boolean> = { true: true, false: false, "1": true, "0": false };

function readEncryption(destination: XmlElement): InventoryConfiguration["destination"]["encryption"] {
  const encryption = child(destination, "Encryption");
  if (!encryption) return undefined;
  const sseS3 = child(encryption, "SSE-S3");
  const sseKms = child(encryption, "SSE-KMS");
  if ((sseS3 === undefined) === (sseKms === undefined)) throw malformed();
  if (sseS3) return { type: "SSE-S3" };
  const keyId = text(sseKms, "KeyId");
  if (!keyId) throw malformed();
  return { type: "SSE-KMS", keyId };
}

function readDocument(root: XmlElement, profile: InventoryProfile): InventoryConfiguration {
  const destination = child(child(root, "Destination"), "S3BucketDestination");
  if (!destination) throw malformed();
  const isEnabled = BOOLEANS[required(root, "IsEnabled").trim().toLowerCase()];
  if (isEnabled === undefined) throw malformed();
  const filter = child(root, "Filter");
  const optionalFields = child(root, "OptionalFields");
  const accountId = text(destination, "AccountId");
  const prefix = text(destination, "Prefix");
  const encryption = readEncryption(destination);
  return {
    id: required(root, "Id"),
    isEnabled,
    ...(filter ? { filterPrefix: required(filter, "Prefix") } : {}),
    destination: {
      bucketArn: required(destination, "Bucket"),
      ...(accountId !== undefined ? { accountId } : {}),
      format: oneOf(required(destination, "Format"), profile.formats),
      ...(prefix !== undefined ? { prefix } : {}),
      ...(encryption ? { encryption } : {}),
    },
    frequency: oneOf(required(child(root, "Schedule"), "Frequency"), FREQUENCIES),
    includedObjectVersions: oneOf(required(root, "IncludedObjectVersions"), profile.includedObjectVersions),
    ...(optionalFields
      ? {
          optionalFields: children(optionalFields, "Field").map((field) =>
            oneOf(field["#text"] ?? "", profile.optionalFields),
          ),
        }
      : {}),
  };
}
