import { Transform, type TransformCallback } from "node:stream";
import { S3Error, toS3Error } from "../errors/s3-error.js";

/**
 * Decodes an `aws-chunked` request body (SigV4 streaming, signed or unsigned, with or without trailers):
 *   <hex-size>[;chunk-signature=<hex>]\r\n<size bytes>\r\n ... 0[;chunk-signature=<hex>]\r\n
 *   [name:value\r\n ...]\r\n
 * Only payload bytes are pushed; trailers are collected in `trailers`. Memory is bounded by the
 * header-line limit: payload is forwarded as subarrays of the input, never buffered.
 * Chunk signatures are counted, not verified.
 */

const LF = 0x0a;
const CR = 0x0d;
const SIZE_PATTERN = /^[0-9a-fA-F]{1,16}$/;
/** Total bytes allowed for the trailer section, so a client cannot stream trailer lines forever. */
const MAX_TRAILER_BYTES = 16 * 1024;

type State = "size" | "data" | "dataEnd" | "trailer" | "done";

function framingError(detail: string): S3Error {
  return new S3Error("InvalidRequest", { message: `Invalid aws-chunked body: ${detail}.` });
}

export class AwsChunkedDecoder extends Transform {
  /** Trailer headers (lower-case names), complete once the stream has ended. */
  readonly trailers = new Map<string, string>();
  private decoded = 0;
  private signatures = 0;
  private state: State = "size";
  private remaining = 0; // payload bytes left in the current chunk
  private crlfMatched = 0; // bytes of the CRLF after chunk data seen so far (it may be split)
  private partialLine: Buffer[] = [];
  private partialLineLength = 0;
  private trailerBytes = 0;
  private readonly maxLine: number;

  constructor(options: { maxChunkHeaderBytes?: number } = {}) {
    super();
    this.maxLine = options.maxChunkHeaderBytes ?? 4096;
  }

  /** Decoded byte count so far. */
  get decodedLength(): number {
    return this.decoded;
  }

  /** How many chunk headers carried a chunk-signature extension. */
  get chunkSignatures(): number {
    return this.signatures;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(toS3Error(error));
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== "done") {
      callback(new S3Error("IncompleteBody"));
      return;
    }
    callback();
  }

  private consume(input: Buffer): void {
    let pos = 0;
    while (pos < input.length) {
      switch (this.state) {
        case "data": {
          const take = Math.min(this.remaining, input.length - pos);
          this.push(input.subarray(pos, pos + take));
          pos += take;
          this.remaining -= take;
          this.decoded += take;
          if (this.remaining === 0) this.state = "dataEnd";
          break;
        }
        case "dataEnd": {
          // At most two bytes, so a byte-wise match keeps split CRLFs simple.
          if (input[pos] !== (this.crlfMatched === 0 ? CR : LF)) throw framingError("missing CRLF after chunk data");
          pos++;
          if (++this.crlfMatched === 2) {
            this.crlfMatched = 0;
            this.state = "size";
          }
          break;
        }
        case "size":
        case "trailer": {
          const end = input.indexOf(LF, pos);
          if (end === -1) {
            this.appendPartialLine(input.subarray(pos));
            pos = input.length;
            break;
          }
          this.appendPartialLine(input.subarray(pos, end));
          pos = end + 1;
          const line =
            this.partialLine.length === 1 ? (this.partialLine[0] as Buffer) : Buffer.concat(this.partialLine);
          this.partialLine = [];
          this.partialLineLength = 0;
          if (this.state === "size") this.onSizeLine(line);
          else this.onTrailerLine(line);
          break;
        }
        case "done": {
          // Some clients send an extra CRLF after the terminator; tolerate line breaks, nothing else.
          for (; pos < input.length; pos++) {
            if (input[pos] !== CR && input[pos] !== LF) throw framingError("data after the final chunk");
          }
          break;
        }
      }
    }
  }

  private appendPartialLine(part: Buffer): void {
    if (part.length === 0) return;
    this.partialLineLength += part.length;
    // +1 leaves room for the CR that is still part of the line at this point.
    if (this.partialLineLength > this.maxLine + 1) {
      throw framingError(this.state === "size" ? "chunk header too long" : "trailer line too long");
    }
    if (this.state === "trailer") {
      this.trailerBytes += part.length;
      if (this.trailerBytes > MAX_TRAILER_BYTES) throw framingError("trailer section too long");
    }
    // Copy: the caller may reuse its buffer once we return, and partial lines are tiny.
    this.partialLine.push(Buffer.from(part));
  }

  private onSizeLine(raw: Buffer): void {
    if (raw[raw.length - 1] !== CR) throw framingError("chunk header must end with CRLF");
    const line = raw.toString("latin1", 0, raw.length - 1);
    const semicolon = line.indexOf(";");
    const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trimEnd();
    if (!SIZE_PATTERN.test(sizeText)) throw framingError("chunk size is not hexadecimal");
    const size = Number.parseInt(sizeText, 16);
    if (!Number.isSafeInteger(size)) throw framingError("chunk size is too large");
    if (semicolon !== -1) {
      for (const extension of line.slice(semicolon + 1).split(";")) {
        if (extension.split("=", 1)[0]?.trim() === "chunk-signature") this.signatures++;
      }
    }
    this.remaining = size;
    this.state = size === 0 ? "trailer" : "data";
  }

  private onTrailerLine(raw: Buffer): void {
    // Lenient: bare LF line endings and blanks around ':' (clients differ; S3 accepts them).
    const line = raw.toString("latin1", 0, raw[raw.length - 1] === CR ? raw.length - 1 : raw.length);
    if (line.trim() === "") {
      this.state = "done";
      return;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw framingError("malformed trailer");
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === "") throw framingError("malformed trailer");
    this.trailers.set(name, line.slice(colon + 1).trim());
  }
}

/** True when the request body uses aws-chunked framing and must go through AwsChunkedDecoder. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const single = (value: string | string[] | undefined): string =>
    (Array.isArray(value) ? value.join(",") : (value ?? "")).toLowerCase();
  const encodings = single(headers["content-encoding"]).split(",");
  if (encodings.some((encoding) => encoding.trim() === "aws-chunked")) return true;
  return single(headers["x-amz-content-sha256"]).startsWith("streaming-");
}
