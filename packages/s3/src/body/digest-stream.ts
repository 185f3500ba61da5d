import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { S3Error } from "../errors/s3-error.js";
import { type ChecksumAlgorithm, createHasher, type Hasher } from "./checksums.js";

export interface Digests {
  size: number;
  md5Hex: string;
  /** Hex SHA-256, only when asked for (x-amz-content-sha256 verification). */
  sha256Hex?: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface DigestOptions {
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  sha256?: boolean;
  maxBytes?: number;
  tooLarge?: "EntityTooLarge" | "MaxMessageLengthExceeded";
  /** Runs when the input has ended, before the stream ends: throw an S3Error to fail the write. */
  verify?: (digests: Digests) => void;
}

/**
 * A pass-through that computes what S3 records about bytes (size, MD5 for the ETag, the additional
 * checksum) and can veto the end of the stream, so a store that consumes it never commits bad data.
 */
export class DigestStream extends Transform {
  private readonly md5: Hash = createHash("md5");
  private readonly sha256: Hash | undefined;
  private readonly hasher: Hasher | undefined;
  private size = 0;
  private digests: Digests | undefined;

  constructor(private readonly options: DigestOptions = {}) {
    super();
    this.sha256 = options.sha256 ? createHash("sha256") : undefined;
    this.hasher = options.checksumAlgorithm ? createHasher(options.checksumAlgorithm) : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.options.maxBytes !== undefined && this.size > this.options.maxBytes) {
      callback(new S3Error(this.options.tooLarge ?? "EntityTooLarge"));
      return;
    }
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    this.hasher?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const algorithm = this.options.checksumAlgorithm;
    const digests: Digests = {
      size: this.size,
      md5Hex: this.md5.digest("hex"),
      ...(this.sha256 ? { sha256Hex: this.sha256.digest("hex") } : {}),
      ...(algorithm && this.hasher ? { checksum: { algorithm, value: this.hasher.digest().toString("base64") } } : {}),
    };
    try {
      this.options.verify?.(digests);
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.digests = digests;
    callback();
  }

  /** The digests of everything that passed; only valid after the stream ended successfully. */
  result(): Digests {
    if (!this.digests) throw new Error("digests read before the stream ended");
    return this.digests;
  }
}
