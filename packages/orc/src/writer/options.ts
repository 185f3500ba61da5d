import type { StringEncodingChoice } from "../columns/string-column.js";
import type { Codec } from "../encoding/out-stream.js";
import { OrcError } from "../errors.js";
import { type OrcField, type OrcType, parseOrcType, structOf } from "../schema.js";

/** Everything the writer can be told. Only `schema` is required. */
export interface OrcWriterOptions {
  /** `struct<bucket:string,size:bigint,...>` (AWS's `fileSchema`) or `[{ name, type }]`. */
  schema: string | readonly OrcField[];
  /** Default "ZLIB", as AWS writes inventory. */
  compression?: "ZLIB" | "NONE";
  /** Bytes per compression chunk; default 262144 (AWS). Must be below 2^23 (Java rejects larger). */
  compressionBlockSize?: number;
  /** zlib level 0..9; default 6 (zlib's own default). */
  zlibLevel?: number;
  /** Rows per row group; default 10000. 0 writes no row index (spec/orc.md §3.7 option A). */
  rowIndexStride?: number;
  /** A stripe ends after this many rows; default 1,000,000. */
  stripeMaxRows?: number;
  /**
   * A stripe ends once it holds about this many bytes: its encoded (compressed) streams so far plus any string
   * dictionaries being collected. This bounds the writer's memory; default 16 MiB.
   */
  stripeMaxBytes?: number;
  /** String columns: "auto" (default) picks DICTIONARY_V2 or DIRECT_V2 per column per stripe. */
  stringEncoding?: StringEncodingChoice;
  /** "auto" uses a dictionary when distinct / non-null ≤ this; default 0.8 (Java ORC's default). */
  dictionaryThreshold?: number;
}

export interface ResolvedOptions {
  root: OrcType;
  codec: Codec;
  rowIndexStride: number;
  stripeMaxRows: number;
  stripeMaxBytes: number;
  stringEncoding: StringEncodingChoice;
  dictionaryThreshold: number;
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new OrcError("INVALID_OPTION", `${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return v;
}

/** Validates options up front, so a bad option fails before any byte is written. */
export function resolveOptions(options: OrcWriterOptions): ResolvedOptions {
  const root = typeof options.schema === "string" ? parseOrcType(options.schema) : structOf(options.schema);
  if (root.kind !== "struct") throw new OrcError("INVALID_SCHEMA", "The root type must be a struct");
  const names = new Set(root.fieldNames);
  if (names.size !== root.fieldNames.length)
    throw new OrcError("INVALID_SCHEMA", "Duplicate field names in the schema");
  const compression = options.compression ?? "ZLIB";
  if (compression !== "ZLIB" && compression !== "NONE") {
    throw new OrcError("INVALID_OPTION", `compression must be "ZLIB" or "NONE", got ${String(compression)}`);
  }
  const stringEncoding = options.stringEncoding ?? "auto";
  if (!["auto", "direct", "dictionary"].includes(stringEncoding)) {
    throw new OrcError(
      "INVALID_OPTION",
      `stringEncoding must be "auto", "direct" or "dictionary", got ${String(stringEncoding)}`,
    );
  }
  const threshold = options.dictionaryThreshold ?? 0.8;
  if (!(threshold >= 0 && threshold <= 1)) throw new OrcError("INVALID_OPTION", "dictionaryThreshold must be in 0..1");
  return {
    root,
    codec: {
      kind: compression,
      // spec/orc.md §3.6: Java rejects a block size ≥ 2^23 whenever the field is present.
      blockSize: integer("compressionBlockSize", options.compressionBlockSize, 262144, 1024, 2 ** 23 - 1),
      level: integer("zlibLevel", options.zlibLevel, 6, 0, 9),
    },
    rowIndexStride: integer("rowIndexStride", options.rowIndexStride, 10000, 0, 2 ** 31 - 1),
    stripeMaxRows: integer("stripeMaxRows", options.stripeMaxRows, 1_000_000, 1, 2 ** 31 - 1),
    stripeMaxBytes: integer("stripeMaxBytes", options.stripeMaxBytes, 16 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
    stringEncoding,
    dictionaryThreshold: threshold,
  };
}
