import { ERROR_CODES, type S3ErrorCode } from "./error-codes.js";

/**
 * The one error type of the engine. It carries data only; `render-error.ts` turns it into a response.
 * `fields` become extra elements of the <Error> document (BucketName, Key, ArgumentName, ...).
 * `headers` are added to the response (x-amz-delete-marker, Allow, ...).
 */
export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly fields: Record<string, string>;
  readonly headers: Record<string, string>;

  constructor(
    code: S3ErrorCode,
    options: { message?: string; fields?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    super(options.message ?? ERROR_CODES[code].message);
    this.name = "S3Error";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}

/** Anything thrown that is not an S3Error becomes InternalError, without leaking its stack to the client. */
export function toS3Error(error: unknown): S3Error {
  return error instanceof S3Error ? error : new S3Error("InternalError");
}
