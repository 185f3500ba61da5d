import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import type { S3Request } from "../http/s3-request.js";
import { emptyResponse, type S3Response } from "../http/s3-response.js";
import { MAX_POLICY_BYTES, parsePolicy } from "../policy/policy-document.js";
import { readDocumentBody } from "./request-documents.js";

/** spec/clients.md §1.5: 204 on put, the document validated with S3's MalformedPolicy messages. */
export async function PutBucketPolicy(engine: Engine, request: S3Request): Promise<S3Response> {
  const bucket = engine.requireBucket(request.bucket as string);
  // Content-MD5 / x-amz-checksum-* are verified by the body reader when the client sends them.
  // Room for whitespace: the 20 KB limit applies to the document without it (checked by parsePolicy).
  const body = await readDocumentBody(engine, request, MAX_POLICY_BYTES * 8);
  const text = body.toString("utf8");
  parsePolicy(text, bucket.name, engine.profile.policyRules);
  engine.metadata.setBucketPolicy(bucket.name, text);
  return emptyResponse(204);
}

/** Returns the document as it was put. */
export function GetBucketPolicy(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(request.bucket as string);
  const policy = engine.metadata.getBucketPolicy(bucket.name);
  if (policy === null) throw new S3Error("NoSuchBucketPolicy", { fields: { BucketName: bucket.name } });
  return { status: 200, headers: { "content-type": "application/json" }, body: policy };
}

/** 204, also when there was no policy. */
export function DeleteBucketPolicy(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(request.bucket as string);
  engine.metadata.setBucketPolicy(bucket.name, null);
  return emptyResponse(204);
}
