/**
 * The one error type of this package. `code` is stable and meant for callers to branch on
 * (STYLE.md: errors as small classes with stable string codes, never bare strings).
 */
export const ORC_ERROR_CODES = [
  /** Writer: the schema string or field list is invalid, or uses a type the writer cannot write. */
  "INVALID_SCHEMA",
  /** Writer: an option is out of range. */
  "INVALID_OPTION",
  /** Writer: a row value does not fit its column type. */
  "INVALID_VALUE",
  /** Writer: write() after end(), or end() twice. */
  "WRITER_CLOSED",
  /** Decoder: the bytes are not an ORC file (too short, no magic, bad postscript). */
  "NOT_ORC",
  /** Decoder: a length, offset or count in the file points outside the file or contradicts another. */
  "CORRUPT_FILE",
  /** Decoder: the file uses a feature this decoder does not implement (codec, type, encoding). */
  "UNSUPPORTED",
] as const;

export type OrcErrorCode = (typeof ORC_ERROR_CODES)[number];

export class OrcError extends Error {
  override readonly name = "OrcError";
  readonly code: OrcErrorCode;

  constructor(code: OrcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Shorthand for the decoder's most common failure. */
export function corrupt(message: string): OrcError {
  return new OrcError("CORRUPT_FILE", message);
}
