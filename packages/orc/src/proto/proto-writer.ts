import { ByteSink } from "../io/byte-sink.js";

/**
 * The protobuf (proto2) subset ORC's metadata needs: varint, zigzag varint, length-delimited and packed
 * repeated fields (spec/orc.md §3.2: tag = field << 3 | wiretype; 0 = varint, 2 = length-delimited).
 * Fields left `undefined` are not emitted, which is how proto2 optional fields are omitted.
 */
export class ProtoWriter {
  readonly sink = new ByteSink(64);

  private tag(field: number, wireType: 0 | 2): void {
    this.sink.writeVarint(field * 8 + wireType);
  }

  uint(field: number, value: number | undefined): this {
    if (value === undefined) return this;
    this.tag(field, 0);
    this.sink.writeVarint(value);
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    return value === undefined ? this : this.uint(field, value ? 1 : 0);
  }

  /** sint32/sint64: zigzag, so small negative numbers stay short. */
  sint(field: number, value: bigint | number | undefined): this {
    if (value === undefined) return this;
    const v = BigInt.asIntN(64, BigInt(value));
    this.tag(field, 0);
    this.sink.writeVarintBig(BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)));
    return this;
  }

  bytes(field: number, value: Uint8Array | undefined): this {
    if (value === undefined) return this;
    this.tag(field, 2);
    this.sink.writeVarint(value.length);
    this.sink.writeBytes(value);
    return this;
  }

  string(field: number, value: string | undefined): this {
    return value === undefined ? this : this.bytes(field, Buffer.from(value, "utf8"));
  }

  /** A nested message, written by `build` into its own buffer so its length can prefix it. */
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    build(child);
    return this.bytes(field, child.sink.view());
  }

  /** `repeated uint32/uint64 [packed=true]`: one length-delimited run of varints. Empty lists are omitted. */
  packedUints(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const inner = new ByteSink(values.length * 2);
    for (const value of values) inner.writeVarint(value);
    return this.bytes(field, inner.view());
  }

  finish(): Buffer {
    return this.sink.toBytes();
  }
}
