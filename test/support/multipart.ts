/**
 * Multipart uploads through the JS SDK, for the tests that need an upload in a given state: parts sent one by one
 * (each part's ETag checked against its MD5 on the way), completion with any part list.
 */
import {
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { md5Hex } from "./digests.js";

/** Where an upload goes: a client and a bucket (an EmulatorSuite with a bucket will do). */
export interface UploadTarget {
  s3: S3Client;
  bucket: string;
}

/** Creates an upload and sends `parts` as parts 1..n; returns the upload id and the completed-part list. */
export async function uploadParts(
  { s3, bucket }: UploadTarget,
  key: string,
  parts: Buffer[],
  create: Partial<CreateMultipartUploadCommandInput> = {},
) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...create }));
  const completed: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const out = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        PartNumber: i + 1,
        Body: body,
        ChecksumAlgorithm: create.ChecksumAlgorithm,
      }),
    );
    expect(out.ETag).toBe(`"${md5Hex(body)}"`);
    completed.push({
      PartNumber: i + 1,
      ETag: out.ETag,
      ChecksumCRC32: out.ChecksumCRC32,
      ChecksumCRC64NVME: out.ChecksumCRC64NVME,
    });
  }
  return { uploadId: UploadId as string, completed };
}

/** CompleteMultipartUpload with exactly `parts` (and any other input in `extra`). */
export const completeUpload = (
  { s3, bucket }: UploadTarget,
  key: string,
  uploadId: string,
  parts: CompletedPart[],
  extra = {},
) =>
  s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
      ...extra,
    }),
  );
