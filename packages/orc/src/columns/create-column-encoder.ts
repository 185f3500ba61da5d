import type { Codec } from "../encoding/out-stream.js";
import { OrcError } from "../errors.js";
import type { OrcType } from "../schema.js";
import { BooleanColumnEncoder } from "./boolean-column.js";
import type { ColumnEncoder } from "./column-encoder.js";
import { LongColumnEncoder } from "./long-column.js";
import { StringColumnEncoder, type StringColumnOptions } from "./string-column.js";
import { TimestampColumnEncoder } from "./timestamp-column.js";

/** The type kinds the writer can write below the root struct. */
export const WRITABLE_KINDS = ["string", "bigint", "boolean", "timestamp"] as const;

/**
 * The one factory switch (STYLE.md: orc-rust/Apache ORC). Adding int, date, double, decimal or binary is a new
 * encoder class and a case here; the stripe and file writers do not change.
 */
export function createColumnEncoder(type: OrcType, codec: Codec, strings: StringColumnOptions): ColumnEncoder {
  switch (type.kind) {
    case "string":
      return new StringColumnEncoder(type, codec, strings);
    case "bigint":
      return new LongColumnEncoder(type, codec);
    case "boolean":
      return new BooleanColumnEncoder(type, codec);
    case "timestamp":
      return new TimestampColumnEncoder(type, codec);
    default:
      throw new OrcError(
        "INVALID_SCHEMA",
        `The writer cannot write ${type.kind} columns yet (column ${type.id}); it writes ${WRITABLE_KINDS.join(", ")}`,
      );
  }
}
