/** The shapes the engine stores. Column names in schema.ts are these names in snake_case. */

export type VersioningState = "Enabled" | "Suspended" | null;

export interface Tag {
  key: string;
  value: string;
}

/** Content headers and user metadata given at upload, returned on GET/HEAD. */
export interface StoredHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  /** x-amz-meta-* without the prefix, lower-case names. */
  metadata: Record<string, string>;
}

export interface BucketRecord {
  name: string;
  region: string;
  createdMs: number;
  ownerId: string;
  /** The owner's account (AWS) or organization (CoreWeave) id: aws:SourceAccount of inventory deliveries. */
  ownerAccountId: string;
  versioning: VersioningState;
  tags: Tag[] | null;
}

/** Server-side encryption as S3 reports it in x-amz-server-side-encryption. */
export type Encryption = "AES256" | "aws:kms" | "aws:kms:dsse";

export interface ObjectChecksum {
  algorithm: string;
  value: string;
  type: "FULL_OBJECT" | "COMPOSITE";
}

export interface ObjectVersion {
  bucket: string;
  key: string;
  seq: number;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  etag: string;
  lastModifiedMs: number;
  storageClass: string;
  /** Part sizes in order when the object was multipart-uploaded (GET ?partNumber=), else null. */
  partSizes: number[] | null;
  checksum: ObjectChecksum | null;
  encryption: Encryption | null;
  kmsKeyId: string | null;
  ownerId: string;
  /** Last GET/PUT/UploadPart/Copy touching this version (CoreWeave's LastAccessedDate). */
  lastAccessMs: number | null;
  headers: StoredHeaders;
  tags: Tag[];
  blobId: string | null;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiatedMs: number;
  ownerId: string;
  storageClass: string;
  checksumAlgorithm: string | null;
  checksumType: "FULL_OBJECT" | "COMPOSITE" | null;
  encryption: Encryption | null;
  kmsKeyId: string | null;
  headers: StoredHeaders;
  tags: Tag[];
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  size: number;
  etag: string;
  lastModifiedMs: number;
  checksumValue: string | null;
  blobId: string;
}

export const NULL_VERSION_ID = "null";
