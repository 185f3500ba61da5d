import { corrupt } from "../errors.js";
import { ByteReader } from "../io/byte-reader.js";

/** One decoded field value: varints as bigint, fixed64/fixed32 as raw bytes, length-delimited as bytes. */
export type ProtoValue = { wire: 0; value: bigint } | { wire: 1 | 2 | 5; value: Uint8Array };

/**
 * A message decoded one level deep: field number -> every occurrence, in order. Typed accessors below turn it
 * into ORC's message shapes; unknown fields are kept and ignored, as proto2 requires.
 */
export class ProtoMessage {
  readonly fields = new Map<number, ProtoValue[]>();

  constructor(
    bytes: Uint8Array,
    readonly what: string,
  ) {
    const reader = new ByteReader(bytes, what);
    while (!reader.atEnd()) {
      const key = reader.readVarint();
      const field = Math.floor(key / 8);
      const wire = key % 8;
      if (field === 0) throw corrupt(`${what}: field number 0`);
      let value: ProtoValue;
      if (wire === 0) value = { wire, value: reader.readVarintBig() };
      else if (wire === 1) value = { wire, value: reader.readBytes(8) };
      else if (wire === 2) value = { wire, value: reader.readBytes(reader.readVarint()) };
      else if (wire === 5) value = { wire, value: reader.readBytes(4) };
      else throw corrupt(`${what}: unsupported protobuf wire type ${wire} for field ${field}`);
      const list = this.fields.get(field);
      if (list) list.push(value);
      else this.fields.set(field, [value]);
    }
  }

  private last(field: number): ProtoValue | undefined {
    const list = this.fields.get(field);
    return list?.[list.length - 1];
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  bigUint(field: number): bigint | undefined {
    const value = this.last(field);
    if (value === undefined) return undefined;
    if (value.wire !== 0) throw corrupt(`${this.what}: field ${field} is not a varint`);
    return value.value;
  }

  uint(field: number): number | undefined {
    const value = this.bigUint(field);
    if (value === undefined) return undefined;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`${this.what}: field ${field} = ${value} is too large`);
    return Number(value);
  }

  sint(field: number): bigint | undefined {
    const value = this.bigUint(field);
    if (value === undefined) return undefined;
    return BigInt.asIntN(64, (value >> 1n) ^ -(value & 1n));
  }

  /** int32 fields (timestamp nanos) are plain varints holding two's complement. */
  int(field: number): number | undefined {
    const value = this.bigUint(field);
    return value === undefined ? undefined : Number(BigInt.asIntN(64, value));
  }

  bool(field: number): boolean | undefined {
    const value = this.bigUint(field);
    return value === undefined ? undefined : value !== 0n;
  }

  double(field: number): number | undefined {
    const value = this.last(field);
    if (value === undefined) return undefined;
    if (value.wire !== 1) throw corrupt(`${this.what}: field ${field} is not a double`);
    return Buffer.from(value.value.buffer, value.value.byteOffset, 8).readDoubleLE(0);
  }

  bytes(field: number): Uint8Array | undefined {
    const value = this.last(field);
    if (value === undefined) return undefined;
    if (value.wire !== 2) throw corrupt(`${this.what}: field ${field} is not length-delimited`);
    return value.value;
  }

  string(field: number): string | undefined {
    const bytes = this.bytes(field);
    return bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8");
  }

  strings(field: number): string[] {
    return (this.fields.get(field) ?? []).map((v) => {
      if (v.wire !== 2) throw corrupt(`${this.what}: field ${field} is not a string`);
      return Buffer.from(v.value.buffer, v.value.byteOffset, v.value.length).toString("utf8");
    });
  }

  /** `repeated uint*`: accepts both the packed form (what ORC writers emit) and the unpacked one. */
  uints(field: number): number[] {
    const out: number[] = [];
    for (const v of this.fields.get(field) ?? []) {
      if (v.wire === 0) out.push(Number(v.value));
      else if (v.wire === 2) {
        const reader = new ByteReader(v.value, `${this.what} field ${field}`);
        while (!reader.atEnd()) out.push(Number(reader.readVarintBig()));
      } else throw corrupt(`${this.what}: field ${field} is not a repeated varint`);
    }
    return out;
  }

  message(field: number): ProtoMessage | undefined {
    const bytes = this.bytes(field);
    return bytes === undefined ? undefined : new ProtoMessage(bytes, `${this.what}.${field}`);
  }

  messages(field: number): ProtoMessage[] {
    return (this.fields.get(field) ?? []).map((v) => {
      if (v.wire !== 2) throw corrupt(`${this.what}: field ${field} is not a message`);
      return new ProtoMessage(v.value, `${this.what}.${field}`);
    });
  }
}
