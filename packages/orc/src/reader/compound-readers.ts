import type { IntDecoder } from "../decoding/int-decoder.js";
import { corrupt } from "../errors.js";
import { StreamKind } from "../proto/orc-messages.js";
import type { OrcType } from "../schema.js";
import { type ColumnReader, NullableReader } from "./column-reader.js";
import { BooleanReader, FloatingReader, IntegerReader, TimestampReader, TinyIntReader } from "./primitive-readers.js";
import { StringReader } from "./string-reader.js";
import type { StripeStreams } from "./stripe-streams.js";

/** The factory switch of the decoder: one reader class per type kind. */
export function createColumnReader(type: OrcType, streams: StripeStreams): ColumnReader {
  switch (type.kind) {
    case "boolean":
      return new BooleanReader(type, streams);
    case "tinyint":
      return new TinyIntReader(type, streams);
    case "smallint":
    case "int":
    case "bigint":
    case "date":
      return new IntegerReader(type, streams);
    case "float":
    case "double":
      return new FloatingReader(type, streams);
    case "string":
    case "varchar":
    case "char":
    case "binary":
      return new StringReader(type, streams);
    case "timestamp":
      return new TimestampReader(type, streams);
    case "struct":
      return new StructReader(type, streams);
    case "array":
    case "map":
      return new RepeatedReader(type, streams);
    default:
      return new UnsupportedReader(type, streams);
  }
}

class UnsupportedReader extends NullableReader {
  protected readValues(): unknown[] {
    return this.unsupported("this decoder does not read this type");
  }
}

/** struct: PRESENT, then each child reads one value per non-null struct. Values are plain objects. */
export class StructReader extends NullableReader {
  private readonly children: ColumnReader[];

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.children = type.children.map((child) => createColumnReader(child, streams));
  }

  protected readValues(count: number): unknown[] {
    const columns = this.children.map((child) => child.read(count));
    const names = this.type.fieldNames;
    const out = new Array<Record<string, unknown>>(count);
    for (let i = 0; i < count; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) row[names[c] as string] = (columns[c] as unknown[])[i];
      out[i] = row;
    }
    return out;
  }
}

/** array and map: LENGTH = element count per value; children hold the elements back to back. */
export class RepeatedReader extends NullableReader {
  private readonly lengths: IntDecoder;
  private readonly children: ColumnReader[];

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    this.lengths = this.intStream(StreamKind.LENGTH, false, true);
    this.children = type.children.map((child) => createColumnReader(child, streams));
  }

  protected readValues(count: number): unknown[] {
    const lengths: number[] = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
      const n = this.lengths.next();
      if (typeof n !== "number" || n < 0 || n > 2 ** 31)
        throw corrupt(`Column ${this.type.id}: invalid length ${String(n)}`);
      lengths.push(n);
      total += n;
    }
    const [first, second] = this.children.map((child) => child.read(total));
    const out = new Array<unknown>(count);
    let next = 0;
    for (let i = 0; i < count; i++) {
      const n = lengths[i] as number;
      if (this.type.kind === "array") out[i] = (first as unknown[]).slice(next, next + n);
      else {
        const entries: { key: unknown; value: unknown }[] = [];
        for (let k = next; k < next + n; k++)
          entries.push({ key: (first as unknown[])[k], value: (second as unknown[])[k] });
        out[i] = entries;
      }
      next += n;
    }
    return out;
  }
}
