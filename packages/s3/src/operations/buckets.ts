import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import type { S3Request } from "../http/s3-request.js";
import { emptyResponse, type S3Response, xmlResponse } from "../http/s3-response.js";
import { escapeXml, S3_NAMESPACE, XML_DECLARATION } from "../xml/xml-builder.js";
import { text } from "../xml/xml-parser.js";
import { decodeContinuationToken, encodeContinuationToken } from "./continuation-token.js";
import { isoDate } from "./object-headers.js";
import { readXmlDocument } from "./request-documents.js";

function bucketName(request: S3Request): string {
  return request.bucket as string;
}

/**
 * ListBuckets pages only when asked (max-buckets, 1 to 10000), as S3 does since 2024; the continuation
 * token is opaque to clients: the base64 of the last name returned.
 */
export function ListBuckets(engine: Engine, request: S3Request): S3Response {
  const prefix = request.query.get("prefix") ?? "";
  const rawMax = request.query.get("max-buckets");
  const maxBuckets = rawMax === null ? Number.POSITIVE_INFINITY : Number(rawMax);
  if (rawMax !== null && !(/^\d+$/.test(rawMax) && maxBuckets >= 1 && maxBuckets <= 10_000)) {
    throw new S3Error("InvalidArgument", {
      message: "Argument max-buckets must be an integer between 1 and 10000.",
      fields: { ArgumentName: "max-buckets", ArgumentValue: rawMax },
    });
  }
  const token = request.query.get("continuation-token");
  const after = token === null ? "" : decodeContinuationToken(token);
  const matching = engine.metadata
    .listBuckets()
    .filter((bucket) => bucket.name.startsWith(prefix) && bucket.name > after);
  const buckets = matching.slice(0, maxBuckets);
  const next = matching.length > buckets.length ? buckets.at(-1)?.name : undefined;
  return xmlResponse("ListAllMyBucketsResult", [
    [
      "Owner",
      [
        ["ID", request.principal.canonicalId],
        ["DisplayName", request.principal.displayName],
      ],
    ],
    [
      "Buckets",
      buckets.map((bucket): [string, [string, string][]] => [
        "Bucket",
        [
          ["Name", bucket.name],
          ["CreationDate", isoDate(bucket.createdMs)],
          ["BucketRegion", bucket.region],
        ],
      ]),
    ],
    ["ContinuationToken", next === undefined ? undefined : encodeContinuationToken(next)],
    ["Prefix", request.query.get("prefix") ?? undefined],
  ]);
}

export async function CreateBucket(engine: Engine, request: S3Request): Promise<S3Response> {
  const name = bucketName(request);
  engine.validateBucketName(name);
  const config = await readXmlDocument(engine, request, "CreateBucketConfiguration");
  const location = config ? text(config, "LocationConstraint") : undefined;
  if (location === "") throw new S3Error("InvalidLocationConstraint");
  const existing = engine.metadata.getBucket(name);
  if (existing) {
    // us-east-1 answers 200 to its owner re-creating a bucket; every other region says BucketAlreadyOwnedByYou.
    if (existing.region === "us-east-1" && (location ?? "us-east-1") === "us-east-1") {
      return emptyResponse(200, { location: `/${name}` });
    }
    throw new S3Error("BucketAlreadyOwnedByYou", { fields: { BucketName: name } });
  }
  engine.metadata.createBucket(name, location ?? engine.region, request.principal, engine.now());
  return emptyResponse(200, { location: `/${name}` });
}

export function HeadBucket(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(bucketName(request));
  return emptyResponse(200, { "x-amz-bucket-region": bucket.region, "x-amz-access-point-alias": "false" });
}

export function DeleteBucket(engine: Engine, request: S3Request): S3Response {
  const name = bucketName(request);
  engine.requireBucket(name);
  if (!engine.metadata.isBucketEmpty(name)) throw new S3Error("BucketNotEmpty", { fields: { BucketName: name } });
  engine.metadata.deleteBucket(name);
  return emptyResponse(204);
}

export function GetBucketLocation(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(bucketName(request));
  // us-east-1 is reported as an empty LocationConstraint, as S3 does.
  const region = bucket.region === "us-east-1" ? "" : bucket.region;
  const body = `${XML_DECLARATION}<LocationConstraint xmlns="${S3_NAMESPACE}">${escapeXml(region)}</LocationConstraint>`;
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}

const VERSIONING_STATES = new Set(["Enabled", "Suspended"]);

export async function PutBucketVersioning(engine: Engine, request: S3Request): Promise<S3Response> {
  const name = bucketName(request);
  engine.requireBucket(name);
  const config = await readXmlDocument(engine, request, "VersioningConfiguration");
  const status = config ? text(config, "Status") : undefined;
  if (config === undefined) throw new S3Error("MalformedXML");
  if (status === undefined) throw new S3Error("IllegalVersioningConfigurationException");
  if (!VERSIONING_STATES.has(status)) throw new S3Error("MalformedXML");
  engine.metadata.setVersioning(name, status as "Enabled" | "Suspended");
  return emptyResponse(200);
}

export function GetBucketVersioning(engine: Engine, request: S3Request): S3Response {
  const bucket = engine.requireBucket(bucketName(request));
  return xmlResponse("VersioningConfiguration", [["Status", bucket.versioning ?? undefined]]);
}
