import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { compositeDigest, parseChecksumAlgorithm } from "../body/checksums.js";
import { DigestStream } from "../body/digest-stream.js";
import { openRequestBody } from "../body/request-body.js";
import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import { emptyResponse, type S3Response, xmlResponse } from "../http/s3-response.js";
import type { PartRecord, UploadRecord } from "../storage/records.js";
import type { XmlNode } from "../xml/xml-builder.js";
import { children, text } from "../xml/xml-parser.js";
import { commitVersion } from "./commit-version.js";
import { checkWritePreconditions } from "./conditions.js";
import { readMaxKeys } from "./list-objects.js";
import {
  isoDate,
  opaqueId,
  quoted,
  readEncryption,
  readStorageClass,
  readStoredHeaders,
  readTaggingHeader,
  validateKey,
  versionHeaders,
} from "./object-headers.js";
import { copyBlob, resolveCopySource } from "./put-object.js";
import { readXmlDocument } from "./request-documents.js";

const MAX_PART_NUMBER = 10_000;

function requireUpload(engine: Engine, request: S3Request): UploadRecord {
  engine.requireBucket(request.bucket as string);
  const uploadId = request.query.get("uploadId") ?? "";
  const upload = engine.metadata.getUpload(request.bucket as string, request.key as string, uploadId);
  if (!upload) throw new S3Error("NoSuchUpload", { fields: { UploadId: uploadId } });
  return upload;
}

function readPartNumber(request: S3Request): number {
  const raw = request.query.get("partNumber") ?? "";
  const number = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(number >= 1 && number <= MAX_PART_NUMBER)) {
    throw new S3Error("InvalidArgument", {
      message: "Part number must be an integer between 1 and 10000, inclusive",
      fields: { ArgumentName: "partNumber", ArgumentValue: raw },
    });
  }
  return number;
}

const checksumField = (algorithm: string | null, value: string | null | undefined): XmlNode => [
  `Checksum${algorithm ?? ""}`,
  algorithm && value ? value : undefined,
];

const checksumHeader = (algorithm: string | null, value: string | null | undefined) =>
  algorithm && value ? { [`x-amz-checksum-${algorithm.toLowerCase()}`]: value } : {};

export function CreateMultipartUpload(engine: Engine, request: S3Request): S3Response {
  const bucket = request.bucket as string;
  const key = request.key as string;
  engine.requireBucket(bucket);
  validateKey(key);
  const algorithm = parseChecksumAlgorithm(getHeader(request, "x-amz-checksum-algorithm")) ?? null;
  // CRC64NVME can only be combined over the whole object; the others default to per-part composites.
  const requestedType = getHeader(request, "x-amz-checksum-type")?.toUpperCase();
  const checksumType = algorithm ? (requestedType ?? (algorithm === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE")) : null;
  if (checksumType && checksumType !== "FULL_OBJECT" && checksumType !== "COMPOSITE") {
    throw new S3Error("InvalidRequest", { message: "Value for x-amz-checksum-type header is invalid." });
  }
  const upload: UploadRecord = {
    uploadId: opaqueId(randomBytes(24)),
    bucket,
    key,
    initiatedMs: engine.now(),
    ownerId: request.principal.canonicalId,
    storageClass: readStorageClass(request),
    checksumAlgorithm: algorithm,
    checksumType: checksumType as UploadRecord["checksumType"],
    ...readEncryption(request),
    headers: readStoredHeaders(request),
    tags: readTaggingHeader(request),
  };
  engine.metadata.createUpload(upload);
  return xmlResponse(
    "InitiateMultipartUploadResult",
    [
      ["Bucket", bucket],
      ["Key", key],
      ["UploadId", upload.uploadId],
    ],
    { "x-amz-checksum-algorithm": algorithm ?? undefined, "x-amz-checksum-type": checksumType ?? undefined },
  );
}

function storePart(
  engine: Engine,
  upload: UploadRecord,
  partNumber: number,
  blobId: string,
  digests: { size: number; md5Hex: string; checksum?: { value: string } },
): PartRecord {
  const part: PartRecord = {
    uploadId: upload.uploadId,
    partNumber,
    size: digests.size,
    etag: digests.md5Hex,
    lastModifiedMs: engine.now(),
    checksumValue: digests.checksum?.value ?? null,
    blobId,
  };
  // The upload may have been completed or aborted while this part streamed in.
  if (!engine.metadata.getUpload(upload.bucket, upload.key, upload.uploadId)) {
    engine.releaseBlobs([blobId]);
    throw new S3Error("NoSuchUpload", { fields: { UploadId: upload.uploadId } });
  }
  engine.releaseBlobs([engine.metadata.putPart(part)]);
  return part;
}

export async function UploadPart(engine: Engine, request: S3Request): Promise<S3Response> {
  const upload = requireUpload(engine, request);
  const partNumber = readPartNumber(request);
  const body = openRequestBody(
    request.raw,
    { maxBytes: engine.limits.maxObjectBytes, idleTimeoutMs: engine.limits.bodyIdleTimeoutMs },
    parseChecksumAlgorithm(upload.checksumAlgorithm ?? undefined),
  );
  const { blobId } = await engine.blobs.write(body.stream);
  const part = storePart(engine, upload, partNumber, blobId, body.digest());
  return emptyResponse(200, {
    etag: quoted(part.etag),
    "x-amz-server-side-encryption": upload.encryption ?? undefined,
    ...checksumHeader(upload.checksumAlgorithm, part.checksumValue),
  });
}

function parseCopyRange(raw: string | undefined, size: number): { start: number; end: number } | undefined {
  if (raw === undefined) return undefined;
  const match = raw.match(/^bytes=(\d+)-(\d+)$/);
  const range = match ? { start: Number(match[1]), end: Number(match[2]) } : undefined;
  if (!range || range.end < range.start || range.end >= size) {
    throw new S3Error("InvalidArgument", {
      message:
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
      fields: { ArgumentName: "x-amz-copy-source-range", ArgumentValue: raw },
    });
  }
  return range;
}

export async function UploadPartCopy(engine: Engine, request: S3Request): Promise<S3Response> {
  const upload = requireUpload(engine, request);
  const partNumber = readPartNumber(request);
  const source = resolveCopySource(engine, request);
  const range = parseCopyRange(getHeader(request, "x-amz-copy-source-range"), source.size);
  const { blobId, digests } = await copyBlob(engine, source, upload.checksumAlgorithm, range);
  const part = storePart(engine, upload, partNumber, blobId, digests);
  return xmlResponse(
    "CopyPartResult",
    [
      ["LastModified", isoDate(part.lastModifiedMs)],
      ["ETag", quoted(part.etag)],
      checksumField(upload.checksumAlgorithm, part.checksumValue),
    ],
    { "x-amz-copy-source-version-id": source.versionId === "null" ? undefined : source.versionId },
  );
}

/** Checks the client's part list against the stored parts: order, existence, ETags, minimum sizes. */
function selectParts(
  engine: Engine,
  upload: UploadRecord,
  document: ReturnType<typeof children>[number],
): PartRecord[] {
  const requested = children(document, "Part");
  if (requested.length === 0) throw new S3Error("MalformedXML");
  const stored = new Map(engine.metadata.listParts(upload.uploadId, 0, MAX_PART_NUMBER).map((p) => [p.partNumber, p]));
  let previous = 0;
  const parts = requested.map((element) => {
    const number = Number(text(element, "PartNumber"));
    if (!Number.isInteger(number)) throw new S3Error("MalformedXML");
    if (number <= previous) throw new S3Error("InvalidPartOrder");
    previous = number;
    const part = stored.get(number);
    const etag = text(element, "ETag")?.replace(/"/g, "").trim();
    if (!part || (etag !== undefined && etag !== part.etag)) {
      throw new S3Error("InvalidPart", {
        fields: { UploadId: upload.uploadId, PartNumber: String(number), ETag: etag ?? "" },
      });
    }
    return part;
  });
  parts.slice(0, -1).forEach((part) => {
    if (part.size < engine.limits.minPartBytes) {
      throw new S3Error("EntityTooSmall", {
        fields: {
          ProposedSize: String(part.size),
          MinSizeAllowed: String(engine.limits.minPartBytes),
          PartNumber: String(part.partNumber),
          ETag: part.etag,
        },
      });
    }
  });
  return parts;
}

export async function CompleteMultipartUpload(engine: Engine, request: S3Request): Promise<S3Response> {
  const upload = requireUpload(engine, request);
  const bucket = engine.requireBucket(upload.bucket);
  const document = await readXmlDocument(engine, request, "CompleteMultipartUpload");
  if (!document) throw new S3Error("MalformedXML");
  const parts = selectParts(engine, upload, document);
  checkWritePreconditions(request, () => engine.metadata.getVersion(upload.bucket, upload.key));

  const algorithm = parseChecksumAlgorithm(upload.checksumAlgorithm ?? undefined);
  const fullObject = upload.checksumType === "FULL_OBJECT";
  const digest = new DigestStream({ checksumAlgorithm: fullObject ? algorithm : undefined });
  const blobs = engine.blobs;
  async function* bytes() {
    for (const part of parts) yield* blobs.read(part.blobId);
  }
  const { blobId } = await blobs.write(Readable.from(bytes()).pipe(digest));
  const digests = digest.result();
  const etag = `${createHash("md5")
    .update(Buffer.concat(parts.map((p) => Buffer.from(p.etag, "hex"))))
    .digest("hex")}-${parts.length}`;
  let checksumValue: string | undefined;
  if (algorithm && fullObject) checksumValue = digests.checksum?.value;
  else if (algorithm && parts.every((p) => p.checksumValue)) {
    const partDigests = parts.map((p) => Buffer.from(p.checksumValue as string, "base64"));
    checksumValue = `${compositeDigest(algorithm, partDigests).toString("base64")}-${parts.length}`;
  }
  const version = commitVersion(engine, upload.bucket, upload.key, {
    isDeleteMarker: false,
    size: digests.size,
    etag,
    storageClass: upload.storageClass,
    partSizes: parts.map((part) => part.size),
    checksum:
      algorithm && checksumValue
        ? { algorithm, value: checksumValue, type: fullObject ? "FULL_OBJECT" : "COMPOSITE" }
        : null,
    encryption: upload.encryption,
    kmsKeyId: upload.kmsKeyId,
    ownerId: upload.ownerId,
    headers: upload.headers,
    tags: upload.tags,
    blobId,
  });
  engine.releaseBlobs(engine.metadata.deleteUpload(upload.uploadId));
  return xmlResponse(
    "CompleteMultipartUploadResult",
    [
      ["Location", `/${upload.bucket}/${encodeURIComponent(upload.key).replace(/%2F/g, "/")}`],
      ["Bucket", upload.bucket],
      ["Key", upload.key],
      ["ETag", quoted(etag)],
      checksumField(version.checksum?.algorithm ?? null, version.checksum?.value),
      ["ChecksumType", version.checksum?.type],
    ],
    versionHeaders(version, bucket.versioning !== null),
  );
}

export function AbortMultipartUpload(engine: Engine, request: S3Request): S3Response {
  const upload = requireUpload(engine, request);
  engine.releaseBlobs(engine.metadata.deleteUpload(upload.uploadId));
  return emptyResponse(204);
}

function initiatorNodes(request: S3Request, ownerId: string): XmlNode[] {
  const identity: XmlNode[] = [
    ["ID", ownerId],
    ["DisplayName", request.principal.displayName],
  ];
  return [
    ["Initiator", identity],
    ["Owner", identity],
  ];
}

export function ListParts(engine: Engine, request: S3Request): S3Response {
  const upload = requireUpload(engine, request);
  const maxParts = readMaxKeys(request, "max-parts");
  const marker = Number(request.query.get("part-number-marker") ?? "0") || 0;
  const rows = engine.metadata.listParts(upload.uploadId, marker, maxParts + 1);
  const truncated = rows.length > maxParts;
  const parts = rows.slice(0, maxParts);
  return xmlResponse("ListPartsResult", [
    ["Bucket", upload.bucket],
    ["Key", upload.key],
    ["UploadId", upload.uploadId],
    ["PartNumberMarker", marker],
    ["NextPartNumberMarker", parts.at(-1)?.partNumber ?? 0],
    ["MaxParts", maxParts],
    ["IsTruncated", truncated],
    ...parts.map(
      (part): XmlNode => [
        "Part",
        [
          ["PartNumber", part.partNumber],
          ["LastModified", isoDate(part.lastModifiedMs)],
          ["ETag", quoted(part.etag)],
          checksumField(upload.checksumAlgorithm, part.checksumValue),
          ["Size", part.size],
        ],
      ],
    ),
    ...initiatorNodes(request, upload.ownerId),
    ["StorageClass", upload.storageClass],
    ["ChecksumAlgorithm", upload.checksumAlgorithm ?? undefined],
    ["ChecksumType", upload.checksumType ?? undefined],
  ]);
}

export function ListMultipartUploads(engine: Engine, request: S3Request): S3Response {
  const bucket = request.bucket as string;
  engine.requireBucket(bucket);
  const maxUploads = readMaxKeys(request, "max-uploads");
  const prefix = request.query.get("prefix") ?? "";
  const keyMarker = request.query.get("key-marker") ?? "";
  const uploadIdMarker = request.query.get("upload-id-marker") ?? "";
  // Without an upload-id marker, S3 resumes after every upload of the marker key. With one, it resumes after
  // that upload; uploads of a key come in initiation order, not id order, so the marker key's uploads are
  // read from the start and skipped up to and including the marker.
  const after = { key: keyMarker, uploadId: uploadIdMarker ? "" : "\u{10FFFF}" };
  let skipping = uploadIdMarker !== "";
  const uploads: UploadRecord[] = [];
  for (const upload of engine.metadata.listUploads(bucket, after, 10_000)) {
    if (skipping && upload.key === keyMarker) {
      skipping = upload.uploadId !== uploadIdMarker;
      continue;
    }
    if (upload.key.startsWith(prefix)) uploads.push(upload);
    if (uploads.length > maxUploads) break;
  }
  const truncated = uploads.length > maxUploads;
  const page = uploads.slice(0, maxUploads);
  return xmlResponse("ListMultipartUploadsResult", [
    ["Bucket", bucket],
    ["KeyMarker", keyMarker],
    ["UploadIdMarker", uploadIdMarker],
    ["NextKeyMarker", truncated ? page.at(-1)?.key : undefined],
    ["NextUploadIdMarker", truncated ? page.at(-1)?.uploadId : undefined],
    ["Prefix", prefix || undefined],
    ["MaxUploads", maxUploads],
    ["IsTruncated", truncated],
    ...page.map(
      (upload): XmlNode => [
        "Upload",
        [
          ["Key", upload.key],
          ["UploadId", upload.uploadId],
          ...initiatorNodes(request, upload.ownerId),
          ["StorageClass", upload.storageClass],
          ["Initiated", isoDate(upload.initiatedMs)],
          ["ChecksumAlgorithm", upload.checksumAlgorithm ?? undefined],
          ["ChecksumType", upload.checksumType ?? undefined],
        ],
      ],
    ),
  ]);
}
