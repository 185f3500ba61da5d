// The column table against spec/inventory.md §2.6: canonical order whatever the configuration's order, version
// columns only for All, and the three fileSchema examples of the spec byte for byte.
import type { SnapshotVersion } from "@inv-emulator/s3";
import { describe, expect, it } from "vitest";
import type { InventoryConfiguration } from "../configuration/inventory-configuration.js";
import { AWS_OPTIONAL_FIELDS, COREWEAVE_OPTIONAL_FIELDS } from "../profiles.js";
import { COLUMNS, type ReportRow, selectColumns, snapshotFields } from "./columns.js";
import { REPORT_FORMATS } from "./formats/index.js";

function configuration(includedObjectVersions: string, optionalFields?: string[]): InventoryConfiguration {
  return {
    id: "cfg",
    isEnabled: true,
    destination: { bucketArn: "arn:aws:s3:::dest", format: "CSV" },
    frequency: "Daily",
    includedObjectVersions,
    ...(optionalFields ? { optionalFields } : {}),
  };
}

const names = (config: InventoryConfiguration) => selectColumns(config).map((c) => c.csvName);

// The 16 AWS fields of the spec's 20-column examples (everything but the newest four).
const SIXTEEN = AWS_OPTIONAL_FIELDS.filter(
  (f) =>
    ![
      "ObjectLockEventHoldStatus",
      "ObjectLockEventHoldDuration",
      "LifecycleExpirationDate",
      "IntelligentTieringReferenceDate",
    ].includes(f),
);

// spec/inventory.md §2.6, "fileSchema strings", copied verbatim.
const SPEC_CSV =
  "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus, EncryptionStatus, ObjectLockRetainUntilDate, ObjectLockMode, ObjectLockLegalHoldStatus, IntelligentTieringAccessTier, BucketKeyStatus, ChecksumAlgorithm, ObjectAccessControlList, ObjectOwner";
const SPEC_ORC =
  "struct<bucket:string,key:string,version_id:string,is_latest:boolean,is_delete_marker:boolean,size:bigint,last_modified_date:timestamp,e_tag:string,storage_class:string,is_multipart_uploaded:boolean,replication_status:string,encryption_status:string,object_lock_retain_until_date:timestamp,object_lock_mode:string,object_lock_legal_hold_status:string,intelligent_tiering_access_tier:string,bucket_key_status:string,checksum_algorithm:string,object_access_control_list:string,object_owner:string>";
const SPEC_PARQUET =
  "message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary version_id (UTF8); optional boolean is_latest; optional boolean is_delete_marker; optional int64 size; optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional binary storage_class (UTF8); optional boolean is_multipart_uploaded; optional binary replication_status (UTF8); optional binary encryption_status (UTF8); optional int64 object_lock_retain_until_date (TIMESTAMP_MILLIS); optional binary object_lock_mode (UTF8); optional binary object_lock_legal_hold_status (UTF8); optional binary intelligent_tiering_access_tier (UTF8); optional binary bucket_key_status (UTF8); optional binary checksum_algorithm (UTF8); optional binary object_access_control_list (UTF8); optional binary object_owner (UTF8);}";

describe("selectColumns", () => {
  it("AWS: all 19 fields with All give the canonical order, whatever the configuration's order", () => {
    const expected = [
      "Bucket",
      "Key",
      "VersionId",
      "IsLatest",
      "IsDeleteMarker",
      "Size",
      "LastModifiedDate",
      "ETag",
      "StorageClass",
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
    ];
    expect(names(configuration("All", [...AWS_OPTIONAL_FIELDS]))).toEqual(expected);
    expect(names(configuration("All", [...AWS_OPTIONAL_FIELDS].reverse()))).toEqual(expected);
  });

  it("CoreWeave: its 8 fields with All, LastAccessedDate right after StorageClass", () => {
    expect(names(configuration("All", [...COREWEAVE_OPTIONAL_FIELDS].reverse()))).toEqual([
      "Bucket",
      "Key",
      "VersionId",
      "IsLatest",
      "IsDeleteMarker",
      "Size",
      "LastModifiedDate",
      "ETag",
      "StorageClass",
      "LastAccessedDate",
      "IsMultipartUploaded",
      "EncryptionStatus",
      "ChecksumAlgorithm",
    ]);
  });

  it("CoreWeave's documented 8-column example (seed examples: Size, StorageClass, LastAccessedDate + All)", () => {
    expect(names(configuration("All", ["LastAccessedDate", "StorageClass", "Size"])).join(", ")).toBe(
      "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, StorageClass, LastAccessedDate",
    );
  });

  it("Current (and CoreWeave's Latest) drop the version columns; no OptionalFields gives Bucket, Key", () => {
    expect(names(configuration("Current"))).toEqual(["Bucket", "Key"]);
    expect(names(configuration("Latest", ["Size"]))).toEqual(["Bucket", "Key", "Size"]);
    expect(names(configuration("All"))).toEqual(["Bucket", "Key", "VersionId", "IsLatest", "IsDeleteMarker"]);
    expect(names(configuration("Current", ["LastModifiedDate", "Size"]))).toEqual([
      "Bucket",
      "Key",
      "Size",
      "LastModifiedDate",
    ]);
  });
});

describe("fileSchema (spec §2.6's 20-column examples: AWS 16 fields + All)", () => {
  const columns = selectColumns(configuration("All", [...SIXTEEN].reverse()));

  it("CSV, and the same names for CoreWeave's TSV and JSON", () => {
    expect(REPORT_FORMATS.CSV?.fileSchema(columns)).toBe(SPEC_CSV);
    expect(REPORT_FORMATS.TSV?.fileSchema(columns)).toBe(SPEC_CSV);
    expect(REPORT_FORMATS.JSON?.fileSchema(columns)).toBe(SPEC_CSV);
  });

  it("ORC", () => {
    expect(REPORT_FORMATS.ORC?.fileSchema(columns)).toBe(SPEC_ORC);
  });

  it("Parquet", () => {
    expect(REPORT_FORMATS.Parquet?.fileSchema(columns)).toBe(SPEC_PARQUET);
  });

  it("the smallest configuration: Bucket, Key", () => {
    const two = selectColumns(configuration("Current"));
    expect(REPORT_FORMATS.CSV?.fileSchema(two)).toBe("Bucket, Key");
    expect(REPORT_FORMATS.ORC?.fileSchema(two)).toBe("struct<bucket:string,key:string>");
    expect(REPORT_FORMATS.Parquet?.fileSchema(two)).toBe(
      "message s3.inventory { required binary bucket (UTF8); required binary key (UTF8);}",
    );
  });
});

describe("column values (spec §2.7, §2.10)", () => {
  const base: SnapshotVersion = {
    key: "k",
    versionId: "v1",
    isLatest: true,
    isDeleteMarker: false,
    size: 5,
    etag: "0123456789abcdef0123456789abcdef",
    lastModifiedMs: 1_700_000_000_123,
    storageClass: "STANDARD",
    isMultipart: false,
    checksumAlgorithm: "CRC32",
    encryption: "AES256",
    kmsKeyId: null,
    ownerId: "owner-id",
    lastAccessMs: 1_700_000_100_000,
  };
  const all = selectColumns(configuration("All", [...AWS_OPTIONAL_FIELDS, "LastAccessedDate"]));
  const values = (row: Partial<SnapshotVersion>) =>
    Object.fromEntries(all.map((c) => [c.csvName, c.value({ ...base, ...row, bucket: "src" } as ReportRow)]));

  it("an object version", () => {
    const v = values({});
    expect(v).toMatchObject({
      Bucket: "src",
      Key: "k",
      VersionId: "v1",
      IsLatest: true,
      IsDeleteMarker: false,
      Size: 5,
    });
    expect(v).toMatchObject({
      LastModifiedDate: 1_700_000_000_123,
      ETag: base.etag,
      StorageClass: "STANDARD",
      EncryptionStatus: "SSE-S3",
    });
    expect(v).toMatchObject({
      ChecksumAlgorithm: "CRC32",
      BucketKeyStatus: "DISABLED",
      ObjectOwner: "owner-id",
      ReplicationStatus: null,
    });
    const acl = JSON.parse(Buffer.from(v.ObjectAccessControlList as string, "base64").toString());
    expect(acl.grants).toEqual([{ permission: "FULL_CONTROL", type: "CanonicalUser", canonicalId: "owner-id" }]);
    expect(values({ encryption: "aws:kms" }).EncryptionStatus).toBe("SSE-KMS");
  });

  it("a null version has an empty VersionId", () => {
    expect(values({ versionId: "null" }).VersionId).toBeNull();
  });

  it("a delete marker: no Size, ETag or StorageClass; LastModifiedDate kept", () => {
    const v = values({ isDeleteMarker: true, size: 0, etag: "", isLatest: true });
    expect(v).toMatchObject({
      IsDeleteMarker: true,
      Size: null,
      ETag: null,
      StorageClass: null,
      IsMultipartUploaded: null,
    });
    expect(v.LastModifiedDate).toBe(base.lastModifiedMs);
  });

  it("each column reads only the optional snapshot fields it declares (the snapshot leaves the others unread)", () => {
    const core = new Set(["bucket", "key", "versionId", "isLatest", "isDeleteMarker", "isMultipart"]);
    const rows = [base, { ...base, isDeleteMarker: true }, { ...base, storageClass: "INTELLIGENT_TIERING" }];
    for (const column of COLUMNS) {
      const allowed = new Set<string>([...core, ...column.reads]);
      for (const row of rows) {
        const guarded = new Proxy({ ...row, bucket: "src" } as ReportRow, {
          get(target, field) {
            if (typeof field === "string" && !allowed.has(field)) throw new Error(`${column.csvName} reads ${field}`);
            return target[field as keyof ReportRow];
          },
        });
        expect(() => column.value(guarded), column.csvName).not.toThrow();
      }
    }
    const fields = snapshotFields(selectColumns(configuration("Current", ["Size", "ObjectOwner", "ETag"])));
    expect(fields.sort()).toEqual(["etag", "ownerId", "size"]);
  });
});
