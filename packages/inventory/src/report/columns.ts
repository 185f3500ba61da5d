import type { OptionalSnapshotField, SnapshotVersion } from "@inv-emulator/s3";
import type { InventoryConfiguration } from "../configuration/inventory-configuration.js";
import { includesAllVersions } from "../configuration/inventory-configuration.js";

/** A report value before a format writes it: null is "not applicable" (CSV `""`, Parquet/ORC null). */
export type ReportValue = string | number | boolean | null;
export type ColumnKind = "string" | "bigint" | "boolean" | "timestamp";

/** One row of a report: an object version of the source bucket. */
export interface ReportRow extends SnapshotVersion {
  bucket: string;
}

export interface ReportColumn {
  /** fileSchema name for CSV/TSV/JSON (spec/inventory.md §2.6). */
  csvName: string;
  /** ORC/Parquet column name. */
  name: string;
  kind: ColumnKind;
  /** Present always, only for IncludedObjectVersions=All, or when this optional field is configured. */
  when: "always" | "versions" | { field: string };
  /** The optional snapshot fields `value` reads (the snapshot leaves the others unread). */
  reads: readonly OptionalSnapshotField[];
  value(row: ReportRow): ReportValue;
}

/** x-amz-server-side-encryption -> EncryptionStatus (spec §2.11). */
const ENCRYPTION_STATUS: Record<string, string> = {
  AES256: "SSE-S3",
  "aws:kms": "SSE-KMS",
  "aws:kms:dsse": "DSSE-KMS",
};

/** Most optional fields do not apply to a delete marker (spec §2.10). */
const unlessMarker = (value: (row: ReportRow) => ReportValue) => (row: ReportRow) =>
  row.isDeleteMarker ? null : value(row);
const notTracked = () => null;

const aclCache = new Map<string, string>();
/** ObjectAccessControlList: base64 of the ACL JSON document (DOC-ACL); objects here have their owner's grant. */
function accessControlList(ownerId: string): string {
  let value = aclCache.get(ownerId);
  if (!value) {
    const acl = {
      version: "2022-11-10",
      status: "AVAILABLE",
      grants: [{ permission: "FULL_CONTROL", type: "CanonicalUser", canonicalId: ownerId }],
    };
    value = Buffer.from(JSON.stringify(acl)).toString("base64");
    aclCache.set(ownerId, value);
  }
  return value;
}

const column = (
  csvName: string,
  name: string,
  kind: ColumnKind,
  when: ReportColumn["when"],
  value: ReportColumn["value"],
): ReportColumn => ({
  csvName,
  name,
  kind,
  when,
  reads: [],
  value,
});
const optional = (
  field: string,
  name: string,
  kind: ColumnKind,
  reads: ReportColumn["reads"],
  value: ReportColumn["value"],
) => ({
  ...column(field, name, kind, { field }, value),
  reads,
});

/**
 * Every column either profile can produce, in the canonical order (spec §2.6). The order of the configuration's
 * OptionalFields does not matter. Placement of the newest fields is [U] in the spec: LastAccessedDate after
 * StorageClass (CoreWeave's 8-column example), the event-hold pair after ObjectLockLegalHoldStatus,
 * IntelligentTieringReferenceDate last.
 */
export const COLUMNS: readonly ReportColumn[] = [
  column("Bucket", "bucket", "string", "always", (row) => row.bucket),
  column("Key", "key", "string", "always", (row) => row.key),
  // Null versions (unversioned or suspended buckets) are written as empty (DOC-BOPS).
  column("VersionId", "version_id", "string", "versions", (row) => (row.versionId === "null" ? null : row.versionId)),
  column("IsLatest", "is_latest", "boolean", "versions", (row) => row.isLatest),
  column("IsDeleteMarker", "is_delete_marker", "boolean", "versions", (row) => row.isDeleteMarker),
  optional(
    "Size",
    "size",
    "bigint",
    ["size"],
    unlessMarker((row) => row.size),
  ),
  optional("LastModifiedDate", "last_modified_date", "timestamp", ["lastModifiedMs"], (row) => row.lastModifiedMs),
  optional(
    "ETag",
    "e_tag",
    "string",
    ["etag"],
    unlessMarker((row) => row.etag),
  ),
  optional(
    "StorageClass",
    "storage_class",
    "string",
    ["storageClass"],
    unlessMarker((row) => row.storageClass),
  ),
  optional(
    "LastAccessedDate",
    "last_accessed_date",
    "timestamp",
    ["lastAccessMs"],
    unlessMarker((row) => row.lastAccessMs),
  ),
  optional(
    "IsMultipartUploaded",
    "is_multipart_uploaded",
    "boolean",
    [],
    unlessMarker((row) => row.isMultipart),
  ),
  optional("ReplicationStatus", "replication_status", "string", [], notTracked),
  optional(
    "EncryptionStatus",
    "encryption_status",
    "string",
    ["encryption"],
    unlessMarker((row) => ENCRYPTION_STATUS[row.encryption ?? ""] ?? "NOT-SSE"),
  ),
  optional("ObjectLockRetainUntilDate", "object_lock_retain_until_date", "timestamp", [], notTracked),
  optional("ObjectLockMode", "object_lock_mode", "string", [], notTracked),
  optional("ObjectLockLegalHoldStatus", "object_lock_legal_hold_status", "string", [], notTracked),
  optional("ObjectLockEventHoldStatus", "object_lock_event_hold_status", "string", [], notTracked),
  optional("ObjectLockEventHoldDuration", "object_lock_event_hold_duration", "string", [], notTracked),
  optional(
    "IntelligentTieringAccessTier",
    "intelligent_tiering_access_tier",
    "string",
    ["storageClass"],
    unlessMarker((row) => (row.storageClass === "INTELLIGENT_TIERING" ? "FREQUENT" : null)),
  ),
  // Bucket keys are never enabled here; S3 reports DISABLED for every object (ORCA's real fixture).
  optional(
    "BucketKeyStatus",
    "bucket_key_status",
    "string",
    [],
    unlessMarker(() => "DISABLED"),
  ),
  optional(
    "ChecksumAlgorithm",
    "checksum_algorithm",
    "string",
    ["checksumAlgorithm"],
    unlessMarker((row) => row.checksumAlgorithm),
  ),
  optional(
    "ObjectAccessControlList",
    "object_access_control_list",
    "string",
    ["ownerId"],
    unlessMarker((row) => accessControlList(row.ownerId)),
  ),
  optional("ObjectOwner", "object_owner", "string", ["ownerId"], (row) => row.ownerId),
  optional("LifecycleExpirationDate", "lifecycle_expiration_date", "timestamp", [], notTracked),
  optional(
    "IntelligentTieringReferenceDate",
    "intelligent_tiering_reference_date",
    "timestamp",
    ["storageClass", "lastAccessMs", "lastModifiedMs"],
    unlessMarker((row) =>
      row.storageClass === "INTELLIGENT_TIERING" ? (row.lastAccessMs ?? row.lastModifiedMs) : null,
    ),
  ),
];

/** The columns a configuration asks for, in canonical order. */
export function selectColumns(configuration: InventoryConfiguration): ReportColumn[] {
  const fields = new Set(configuration.optionalFields ?? []);
  const allVersions = includesAllVersions(configuration);
  return COLUMNS.filter((c) => c.when === "always" || (c.when === "versions" ? allVersions : fields.has(c.when.field)));
}

/** The optional snapshot fields a report of these columns reads. */
export function snapshotFields(columns: readonly ReportColumn[]): OptionalSnapshotField[] {
  return [...new Set(columns.flatMap((c) => c.reads))];
}
