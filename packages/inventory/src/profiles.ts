/**
 * What differs between Amazon S3 and CoreWeave inventory (spec/inventory.md §1.5, §3; DESIGN.md "Profiles").
 * One table: every check and default below reads it.
 */

/** Amazon S3's optional fields in the current Smithy model order (spec/inventory.md §1.5). */
export const AWS_OPTIONAL_FIELDS = [
  "Size",
  "LastModifiedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "EncryptionStatus",
  "ObjectLockRetainUntilDate",
  "ObjectLockMode",
  "ObjectLockLegalHoldStatus",
  "ObjectLockEventHoldStatus",
  "ObjectLockEventHoldDuration",
  "IntelligentTieringAccessTier",
  "BucketKeyStatus",
  "ChecksumAlgorithm",
  "ObjectAccessControlList",
  "ObjectOwner",
  "LifecycleExpirationDate",
  "IntelligentTieringReferenceDate",
] as const;

/** CoreWeave's fields (its Terraform provider's list), with its LastAccessedDate extension. */
export const COREWEAVE_OPTIONAL_FIELDS = [
  "Size",
  "LastModifiedDate",
  "LastAccessedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "EncryptionStatus",
  "ChecksumAlgorithm",
] as const;

export const FREQUENCIES = ["Daily", "Weekly"] as const;

export interface InventoryProfile {
  formats: readonly string[];
  optionalFields: readonly string[];
  /** Values accepted for IncludedObjectVersions; CoreWeave's own documents also write `Latest` (= Current). */
  includedObjectVersions: readonly string[];
  missingConfigurationError: "NoSuchConfiguration" | "NoSuchInventoryConfiguration";
  /** CoreWeave checks at PUT that its inventory service may write the destination; AWS only at delivery. */
  checkDestinationAtPut: boolean;
  /** The principal that writes reports, as bucket policies name it. */
  servicePrincipal: { arn: string; kind: "service" | "user" };
}

export const INVENTORY_PROFILES: Record<"aws" | "coreweave", InventoryProfile> = {
  aws: {
    formats: ["CSV", "ORC", "Parquet"],
    optionalFields: AWS_OPTIONAL_FIELDS,
    includedObjectVersions: ["All", "Current"],
    missingConfigurationError: "NoSuchConfiguration",
    checkDestinationAtPut: false,
    servicePrincipal: { arn: "s3.amazonaws.com", kind: "service" },
  },
  coreweave: {
    formats: ["CSV", "TSV", "JSON", "ORC", "Parquet"],
    optionalFields: COREWEAVE_OPTIONAL_FIELDS,
    includedObjectVersions: ["All", "Current", "Latest"],
    missingConfigurationError: "NoSuchInventoryConfiguration",
    checkDestinationAtPut: true,
    servicePrincipal: { arn: "arn:aws:iam::static:role/static/inventory", kind: "user" },
  },
};

/** At most this many configurations per bucket (spec/inventory.md §1.2), and per List page (§1.3). */
export const MAX_CONFIGURATIONS = 1000;
export const LIST_PAGE_SIZE = 100;
