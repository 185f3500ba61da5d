import type { IncomingMessage } from "node:http";
import type { Readable, Transform } from "node:stream";
import { S3Error } from "../errors/s3-error.js";
import { AwsChunkedDecoder, isAwsChunked } from "./aws-chunked-decoder.js";
import {
  type ChecksumAlgorithm,
  checksumAlgorithmFromHeader,
  checksumHeader,
  checksumMismatch,
  findRequestChecksum,
  parseChecksumAlgorithm,
  validateChecksumValue,
} from "./checksums.js";
import { DigestStream, type Digests } from "./digest-stream.js";

export interface BodyLimits {
  /** Larger bodies are refused with `tooLarge` before or while reading. */
  maxBytes: number;
  tooLarge?: "EntityTooLarge" | "MaxMessageLengthExceeded";
  /** A body that stalls this long fails with RequestTimeout (a Content-Length that never arrives). */
  idleTimeoutMs: number;
}

export interface RequestBody {
  /** The decoded payload: framing removed, verified against every digest the client sent before it ends. */
  stream: Readable;
  digest(): Digests;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The number of payload bytes the client announced: decoded length for aws-chunked, else Content-Length. */
function declaredLength(req: IncomingMessage, chunked: boolean): number | undefined {
  const raw = chunked ? header(req, "x-amz-decoded-content-length") : header(req, "content-length");
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new S3Error("InvalidArgument", { message: "Invalid content length" });
  return Number(raw);
}

function expectedMd5(req: IncomingMessage): string | undefined {
  const raw = header(req, "content-md5");
  if (raw === undefined) return undefined;
  const bytes = Buffer.from(raw, "base64");
  if (bytes.length !== 16 || bytes.toString("base64") !== raw.trim()) throw new S3Error("InvalidDigest");
  return bytes.toString("hex");
}

/** x-amz-content-sha256 is either a hex digest of the payload (then checked) or a mode keyword. */
function expectedSha256(req: IncomingMessage): string | undefined {
  const raw = header(req, "x-amz-content-sha256");
  return raw && /^[0-9a-f]{64}$/i.test(raw) ? raw.toLowerCase() : undefined;
}

/**
 * Opens a request body: aws-chunked framing decoded, size limit and idle timeout enforced, and MD5,
 * x-amz-content-sha256 and any x-amz-checksum-* (header or trailer) verified at the end of the stream,
 * so a consumer that stores the stream sees an error before it commits anything.
 */
export function openRequestBody(
  req: IncomingMessage,
  limits: BodyLimits,
  computeAlgorithm?: ChecksumAlgorithm,
): RequestBody {
  const chunked = isAwsChunked(req.headers);
  const expectedSize = declaredLength(req, chunked);
  const tooLarge = limits.tooLarge ?? "EntityTooLarge";
  if (expectedSize !== undefined && expectedSize > limits.maxBytes) throw new S3Error(tooLarge);
  const md5 = expectedMd5(req);
  const sha256 = expectedSha256(req);
  const headerChecksum = findRequestChecksum(req.headers);
  const trailerName = chunked ? header(req, "x-amz-trailer") : undefined;
  const trailerAlgorithm = trailerName ? checksumAlgorithmFromHeader(trailerName.trim()) : undefined;
  const algorithm =
    headerChecksum?.algorithm ??
    trailerAlgorithm ??
    computeAlgorithm ??
    parseChecksumAlgorithm(header(req, "x-amz-sdk-checksum-algorithm"));

  const decoder = chunked ? new AwsChunkedDecoder() : undefined;
  const measure = new DigestStream({
    checksumAlgorithm: algorithm,
    sha256: sha256 !== undefined,
    maxBytes: limits.maxBytes,
    tooLarge,
    verify(digests) {
      if (expectedSize !== undefined && digests.size !== expectedSize) throw new S3Error("IncompleteBody");
      if (md5 !== undefined && md5 !== digests.md5Hex) throw new S3Error("BadDigest");
      if (sha256 !== undefined && sha256 !== digests.sha256Hex) throw new S3Error("XAmzContentSHA256Mismatch");
      const trailerValue = trailerAlgorithm ? decoder?.trailers.get(checksumHeader(trailerAlgorithm)) : undefined;
      if (trailerAlgorithm && trailerValue !== undefined) validateChecksumValue(trailerAlgorithm, trailerValue);
      const expectedChecksum = headerChecksum?.expected ?? trailerValue;
      if (algorithm && expectedChecksum !== undefined && expectedChecksum !== digests.checksum?.value) {
        throw checksumMismatch(algorithm);
      }
    },
  });

  // A stalled body (declared bytes that never come) must not hold the upload open forever. The socket stays
  // open so that the RequestTimeout error can still be sent; the server closes it after the response.
  // The listener goes on the request, not the socket: node's http server destroys a timed-out socket
  // unless the request (or response, or server) handles 'timeout', which would drop the error response.
  req.setTimeout(limits.idleTimeoutMs, () => measure.destroy(new S3Error("RequestTimeout")));
  measure.on("close", () => req.socket.setTimeout(0));
  // The http parser reports a client that hangs up mid-body as "aborted"; S3 calls that IncompleteBody.
  const forward = (source: Readable, target: Transform) => {
    source.on("error", (error) => target.destroy(error instanceof S3Error ? error : new S3Error("IncompleteBody")));
    source.pipe(target);
  };
  if (decoder) {
    forward(req, decoder);
    forward(decoder, measure);
  } else {
    forward(req, measure);
  }
  req.on("aborted", () => measure.destroy(new S3Error("IncompleteBody")));

  return { stream: measure, digest: () => measure.result() };
}

/** Reads a small body (XML or JSON document) completely, verified. */
export async function readSmallBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const body = openRequestBody(req, { tooLarge: "MaxMessageLengthExceeded", ...limits });
  const chunks: Buffer[] = [];
  for await (const chunk of body.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
