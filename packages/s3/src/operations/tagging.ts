import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import type { S3Request } from "../http/s3-request.js";
import { emptyResponse, type S3Response, xmlResponse } from "../http/s3-response.js";
import type { Tag } from "../storage/records.js";
import { child, children, text } from "../xml/xml-parser.js";
import { findReadableVersion } from "./get-object.js";
import { readXmlDocument } from "./request-documents.js";

/** S3's tag limits: objects take 10 tags, buckets 50; keys up to 128 characters, values up to 256. */
const LIMITS = { object: 10, bucket: 50 } as const;

async function readTagSet(engine: Engine, request: S3Request, maxTags: number): Promise<Tag[]> {
  const document = await readXmlDocument(engine, request, "Tagging");
  const tagSet = child(document, "TagSet");
  if (!document || !tagSet) throw new S3Error("MalformedXML");
  const tags = children(tagSet, "Tag").map((element) => {
    const key = text(element, "Key");
    const value = text(element, "Value");
    if (key === undefined || value === undefined) throw new S3Error("MalformedXML");
    if (key.length === 0 || [...key].length > 128)
      throw new S3Error("InvalidTag", { message: "The TagKey you have provided is invalid" });
    if ([...value].length > 256)
      throw new S3Error("InvalidTag", { message: "The TagValue you have provided is invalid" });
    return { key, value };
  });
  if (tags.length > maxTags)
    throw new S3Error("InvalidTag", { message: `Object tags cannot be greater than ${maxTags}` });
  if (new Set(tags.map((t) => t.key)).size !== tags.length) {
    throw new S3Error("InvalidTag", { message: "Cannot provide multiple Tags with the same key" });
  }
  return tags;
}

function tagSetResponse(tags: Tag[], headers = {}): S3Response {
  return xmlResponse(
    "Tagging",
    [
      [
        "TagSet",
        tags.map((tag): [string, [string, string][]] => [
          "Tag",
          [
            ["Key", tag.key],
            ["Value", tag.value],
          ],
        ]),
      ],
    ],
    headers,
  );
}

export async function PutObjectTagging(engine: Engine, request: S3Request): Promise<S3Response> {
  const version = findReadableVersion(engine, request);
  const tags = await readTagSet(engine, request, LIMITS.object);
  engine.metadata.setObjectTags(version, tags);
  return emptyResponse(200, { "x-amz-version-id": version.versionId });
}

export function GetObjectTagging(engine: Engine, request: S3Request): S3Response {
  const version = findReadableVersion(engine, request);
  return tagSetResponse(version.tags, { "x-amz-version-id": version.versionId });
}

export function DeleteObjectTagging(engine: Engine, request: S3Request): S3Response {
  const version = findReadableVersion(engine, request);
  engine.metadata.setObjectTags(version, []);
  return emptyResponse(204, { "x-amz-version-id": version.versionId });
}

export async function PutBucketTagging(engine: Engine, request: S3Request): Promise<S3Response> {
  const bucket = engine.requireBucket(request.bucket as string);
  engine.metadata.setBucketTags(bucket.name, await readTagSet(engine, request, LIMITS.bucket));
  return emptyResponse(204);
}

export function GetBucketTagging(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(request.bucket as string);
  if (!bucket.tags) throw new S3Error("NoSuchTagSet", { fields: { BucketName: bucket.name } });
  return tagSetResponse(bucket.tags);
}

export function DeleteBucketTagging(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(request.bucket as string);
  engine.metadata.setBucketTags(bucket.name, null);
  return emptyResponse(204);
}
