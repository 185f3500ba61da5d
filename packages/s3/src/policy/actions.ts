/**
 * The IAM action each S3 operation needs, and what it acts on: one table for the whole engine (plugins
 * add their own rows). `versioned` is the action when the request names a version (`?versionId=`).
 */
export interface OperationAction {
  action: string;
  versioned?: string;
  resource: "service" | "bucket" | "object";
}

export const OPERATION_ACTIONS: Record<string, OperationAction> = {
  ListBuckets: { action: "s3:ListAllMyBuckets", resource: "service" },
  CreateBucket: { action: "s3:CreateBucket", resource: "bucket" },
  HeadBucket: { action: "s3:ListBucket", resource: "bucket" },
  DeleteBucket: { action: "s3:DeleteBucket", resource: "bucket" },
  ListObjects: { action: "s3:ListBucket", resource: "bucket" },
  ListObjectsV2: { action: "s3:ListBucket", resource: "bucket" },
  ListObjectVersions: { action: "s3:ListBucketVersions", resource: "bucket" },
  ListMultipartUploads: { action: "s3:ListBucketMultipartUploads", resource: "bucket" },
  GetBucketLocation: { action: "s3:GetBucketLocation", resource: "bucket" },
  PutBucketVersioning: { action: "s3:PutBucketVersioning", resource: "bucket" },
  GetBucketVersioning: { action: "s3:GetBucketVersioning", resource: "bucket" },
  PutBucketTagging: { action: "s3:PutBucketTagging", resource: "bucket" },
  GetBucketTagging: { action: "s3:GetBucketTagging", resource: "bucket" },
  DeleteBucketTagging: { action: "s3:PutBucketTagging", resource: "bucket" },
  PutBucketPolicy: { action: "s3:PutBucketPolicy", resource: "bucket" },
  GetBucketPolicy: { action: "s3:GetBucketPolicy", resource: "bucket" },
  DeleteBucketPolicy: { action: "s3:DeleteBucketPolicy", resource: "bucket" },
  // DeleteObjects has no row: S3 authorizes it per key inside the operation (s3:DeleteObject /
  // s3:DeleteObjectVersion on each object), answering AccessDenied in that key's <Error>, not for the request.
  PutObject: { action: "s3:PutObject", resource: "object" },
  // Copies also need s3:GetObject on the source, checked where the source is resolved.
  CopyObject: { action: "s3:PutObject", resource: "object" },
  GetObject: { action: "s3:GetObject", versioned: "s3:GetObjectVersion", resource: "object" },
  HeadObject: { action: "s3:GetObject", versioned: "s3:GetObjectVersion", resource: "object" },
  DeleteObject: { action: "s3:DeleteObject", versioned: "s3:DeleteObjectVersion", resource: "object" },
  PutObjectTagging: { action: "s3:PutObjectTagging", versioned: "s3:PutObjectVersionTagging", resource: "object" },
  GetObjectTagging: { action: "s3:GetObjectTagging", versioned: "s3:GetObjectVersionTagging", resource: "object" },
  DeleteObjectTagging: {
    action: "s3:DeleteObjectTagging",
    versioned: "s3:DeleteObjectVersionTagging",
    resource: "object",
  },
  CreateMultipartUpload: { action: "s3:PutObject", resource: "object" },
  UploadPart: { action: "s3:PutObject", resource: "object" },
  UploadPartCopy: { action: "s3:PutObject", resource: "object" },
  CompleteMultipartUpload: { action: "s3:PutObject", resource: "object" },
  AbortMultipartUpload: { action: "s3:AbortMultipartUpload", resource: "object" },
  ListParts: { action: "s3:ListMultipartUploadParts", resource: "object" },
};

/** Operations a bucket owner may always perform, so that a policy can never lock its owner out. */
export const OWNER_ALWAYS_ALLOWED = new Set(["PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy"]);

export function resourceArn(bucket: string | undefined, key?: string): string {
  if (bucket === undefined) return "*";
  return key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
}
