import type { Route } from "../http/router.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import * as policy from "./bucket-policy.js";
import * as buckets from "./buckets.js";
import { DeleteObject, DeleteObjects } from "./delete-object.js";
import { GetObject, HeadObject } from "./get-object.js";
import { ListObjectVersions } from "./list-object-versions.js";
import { ListObjects, ListObjectsV2 } from "./list-objects.js";
import * as multipart from "./multipart.js";
import { CopyObject, PutObject } from "./put-object.js";
import * as tagging from "./tagging.js";

const hasCopySource = (request: S3Request) => getHeader(request, "x-amz-copy-source") !== undefined;
const isListV2 = (request: S3Request) => request.query.get("list-type") === "2";

/**
 * Every S3 operation the engine serves, named as AWS names it. Order matters only among sub-resources:
 * the first sub-resource present in a query selects the family (see Router.resolve).
 */
export const S3_ROUTES: Route[] = [
  { operation: "ListBuckets", method: "GET", target: "service", handler: buckets.ListBuckets },

  { operation: "CreateBucket", method: "PUT", target: "bucket", handler: buckets.CreateBucket },
  { operation: "HeadBucket", method: "HEAD", target: "bucket", handler: buckets.HeadBucket },
  { operation: "DeleteBucket", method: "DELETE", target: "bucket", handler: buckets.DeleteBucket },
  { operation: "ListObjects", method: "GET", target: "bucket", handler: ListObjects },
  { operation: "ListObjectsV2", method: "GET", target: "bucket", when: isListV2, handler: ListObjectsV2 },
  {
    operation: "GetBucketLocation",
    method: "GET",
    target: "bucket",
    subresource: "location",
    handler: buckets.GetBucketLocation,
  },
  {
    operation: "PutBucketVersioning",
    method: "PUT",
    target: "bucket",
    subresource: "versioning",
    handler: buckets.PutBucketVersioning,
  },
  {
    operation: "GetBucketVersioning",
    method: "GET",
    target: "bucket",
    subresource: "versioning",
    handler: buckets.GetBucketVersioning,
  },
  {
    operation: "ListObjectVersions",
    method: "GET",
    target: "bucket",
    subresource: "versions",
    handler: ListObjectVersions,
  },
  {
    operation: "ListMultipartUploads",
    method: "GET",
    target: "bucket",
    subresource: "uploads",
    handler: multipart.ListMultipartUploads,
  },
  { operation: "DeleteObjects", method: "POST", target: "bucket", subresource: "delete", handler: DeleteObjects },
  {
    operation: "PutBucketTagging",
    method: "PUT",
    target: "bucket",
    subresource: "tagging",
    handler: tagging.PutBucketTagging,
  },
  {
    operation: "GetBucketTagging",
    method: "GET",
    target: "bucket",
    subresource: "tagging",
    handler: tagging.GetBucketTagging,
  },
  {
    operation: "PutBucketPolicy",
    method: "PUT",
    target: "bucket",
    subresource: "policy",
    handler: policy.PutBucketPolicy,
  },
  {
    operation: "GetBucketPolicy",
    method: "GET",
    target: "bucket",
    subresource: "policy",
    handler: policy.GetBucketPolicy,
  },
  {
    operation: "DeleteBucketPolicy",
    method: "DELETE",
    target: "bucket",
    subresource: "policy",
    handler: policy.DeleteBucketPolicy,
  },
  {
    operation: "DeleteBucketTagging",
    method: "DELETE",
    target: "bucket",
    subresource: "tagging",
    handler: tagging.DeleteBucketTagging,
  },

  { operation: "PutObject", method: "PUT", target: "object", handler: PutObject },
  { operation: "CopyObject", method: "PUT", target: "object", when: hasCopySource, handler: CopyObject },
  { operation: "GetObject", method: "GET", target: "object", handler: GetObject },
  { operation: "HeadObject", method: "HEAD", target: "object", handler: HeadObject },
  { operation: "DeleteObject", method: "DELETE", target: "object", handler: DeleteObject },
  {
    operation: "PutObjectTagging",
    method: "PUT",
    target: "object",
    subresource: "tagging",
    handler: tagging.PutObjectTagging,
  },
  {
    operation: "GetObjectTagging",
    method: "GET",
    target: "object",
    subresource: "tagging",
    handler: tagging.GetObjectTagging,
  },
  {
    operation: "DeleteObjectTagging",
    method: "DELETE",
    target: "object",
    subresource: "tagging",
    handler: tagging.DeleteObjectTagging,
  },
  {
    operation: "CreateMultipartUpload",
    method: "POST",
    target: "object",
    subresource: "uploads",
    handler: multipart.CreateMultipartUpload,
  },
  { operation: "UploadPart", method: "PUT", target: "object", subresource: "uploadId", handler: multipart.UploadPart },
  {
    operation: "UploadPartCopy",
    method: "PUT",
    target: "object",
    subresource: "uploadId",
    when: hasCopySource,
    handler: multipart.UploadPartCopy,
  },
  {
    operation: "CompleteMultipartUpload",
    method: "POST",
    target: "object",
    subresource: "uploadId",
    handler: multipart.CompleteMultipartUpload,
  },
  {
    operation: "AbortMultipartUpload",
    method: "DELETE",
    target: "object",
    subresource: "uploadId",
    handler: multipart.AbortMultipartUpload,
  },
  { operation: "ListParts", method: "GET", target: "object", subresource: "uploadId", handler: multipart.ListParts },
];
