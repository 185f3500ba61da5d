import type { IntDecoder } from "../decoding/int-decoder.js";
import { corrupt } from "../errors.js";
import type { ByteReader } from "../io/byte-reader.js";
import { StreamKind } from "../proto/orc-messages.js";
import type { OrcType } from "../schema.js";
import { NullableReader } from "./column-reader.js";
import type { StripeStreams } from "./stripe-streams.js";

const utf8 = new TextDecoder("utf-8");

function length(decoder: IntDecoder, column: number): number {
  const value = decoder.next();
  if (typeof value !== "number" || value < 0) throw corrupt(`Column ${column}: invalid length ${String(value)}`);
  return value;
}

/**
 * string, varchar, char and binary. DIRECT(_V2): DATA bytes + LENGTH. DICTIONARY(_V2): DATA = indexes into a
 * dictionary read whole from DICTIONARY_DATA + LENGTH (spec/orc.md §3.3). Binary values come back as Uint8Array.
 */
export class StringReader extends NullableReader {
  private readonly dictionary: unknown[] | undefined;
  private readonly data: ByteReader | undefined;
  private readonly indexes: IntDecoder | undefined;
  private readonly lengths: IntDecoder | undefined;

  constructor(type: OrcType, streams: StripeStreams) {
    super(type, streams);
    const encoding = streams.encoding(type.id);
    if (encoding === "DICTIONARY" || encoding === "DICTIONARY_V2") {
      if (type.kind === "binary") this.unsupported("dictionary-encoded binary");
      this.indexes = this.intStream(StreamKind.DATA, false, true);
      this.dictionary = this.readDictionary(streams.dictionarySize(type.id));
    } else {
      this.data = streams.require(type.id, StreamKind.DATA, true);
      this.lengths = this.intStream(StreamKind.LENGTH, false, true);
    }
  }

  private decode(bytes: Uint8Array): unknown {
    return this.type.kind === "binary" ? Uint8Array.from(bytes) : utf8.decode(bytes);
  }

  private readDictionary(size: number): unknown[] {
    const id = this.type.id;
    const blob = this.streams.open(id, StreamKind.DICTIONARY_DATA);
    const lengthReader = this.streams.open(id, StreamKind.LENGTH);
    if (size > 0 && (!blob || !lengthReader)) throw corrupt(`Column ${id}: dictionary streams are missing`);
    if (!blob || !lengthReader) return [];
    const lengths = this.intDecoder(lengthReader, false, false);
    // Each entry takes at least one LENGTH byte, which bounds a lying dictionary_size before allocating.
    if (size > lengthReader.remaining * 512)
      throw corrupt(`Column ${id}: dictionary_size ${size} exceeds its LENGTH stream`);
    const out = new Array<unknown>(size);
    for (let i = 0; i < size; i++) out[i] = this.decode(blob.readBytes(length(lengths, id)));
    return out;
  }

  protected readValues(count: number): unknown[] {
    const out = new Array<unknown>(count);
    const id = this.type.id;
    if (this.dictionary) {
      const indexes = this.indexes as IntDecoder;
      for (let i = 0; i < count; i++) {
        const index = indexes.next();
        const value = typeof index === "number" ? this.dictionary[index] : undefined;
        if (value === undefined) throw corrupt(`Column ${id}: dictionary index ${String(index)} out of range`);
        out[i] = value;
      }
      return out;
    }
    const data = this.data as ByteReader;
    const lengths = this.lengths as IntDecoder;
    for (let i = 0; i < count; i++) out[i] = this.decode(data.readBytes(length(lengths, id)));
    return out;
  }
}
