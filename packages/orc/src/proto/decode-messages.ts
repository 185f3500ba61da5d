import { corrupt } from "../errors.js";
import type {
  ColumnStatistics,
  Footer,
  Metadata,
  PostScript,
  RowIndexEntry,
  StripeFooter,
  TypeMessage,
} from "./orc-messages.js";
import { ProtoMessage } from "./proto-reader.js";

/** The inverse of encode-messages.ts, with the defaults proto2 gives absent fields. */

function required(value: number | undefined, what: string): number {
  if (value === undefined) throw corrupt(`${what} is missing`);
  return value;
}

export function readColumnStatistics(m: ProtoMessage): ColumnStatistics {
  const out: ColumnStatistics = {};
  out.numberOfValues = m.uint(1);
  const ints = m.message(2);
  if (ints) out.intStatistics = { minimum: ints.sint(1), maximum: ints.sint(2), sum: ints.sint(3) };
  const doubles = m.message(3);
  if (doubles)
    out.doubleStatistics = { minimum: doubles.double(1), maximum: doubles.double(2), sum: doubles.double(3) };
  const strings = m.message(4);
  if (strings) out.stringStatistics = { minimum: strings.string(1), maximum: strings.string(2), sum: strings.sint(3) };
  const buckets = m.message(5);
  if (buckets) out.bucketStatistics = { count: buckets.uints(1) };
  const dates = m.message(7);
  if (dates) {
    const min = dates.sint(1);
    const max = dates.sint(2);
    out.dateStatistics = {
      minimum: min === undefined ? undefined : Number(min),
      maximum: max === undefined ? undefined : Number(max),
    };
  }
  const binary = m.message(8);
  if (binary) out.binaryStatistics = { sum: binary.sint(1) };
  const ts = m.message(9);
  if (ts) {
    out.timestampStatistics = {
      minimum: ts.sint(1),
      maximum: ts.sint(2),
      minimumUtc: ts.sint(3),
      maximumUtc: ts.sint(4),
      minimumNanos: ts.int(5),
      maximumNanos: ts.int(6),
    };
  }
  out.hasNull = m.bool(10);
  return out;
}

export function decodePostScript(bytes: Uint8Array): PostScript {
  const m = new ProtoMessage(bytes, "PostScript");
  return {
    footerLength: required(m.uint(1), "PostScript.footer_length"),
    compression: m.uint(2) ?? 0,
    compressionBlockSize: m.uint(3),
    version: m.uints(4),
    metadataLength: m.uint(5) ?? 0,
    writerVersion: m.uint(6),
    magic: m.string(8000),
  };
}

function readType(m: ProtoMessage): TypeMessage {
  return {
    kind: required(m.uint(1), "Type.kind"),
    subtypes: m.uints(2),
    fieldNames: m.strings(3),
    maximumLength: m.uint(4),
    precision: m.uint(5),
    scale: m.uint(6),
  };
}

export function decodeFooter(bytes: Uint8Array): Footer {
  const m = new ProtoMessage(bytes, "Footer");
  return {
    headerLength: m.uint(1),
    contentLength: m.uint(2),
    stripes: m.messages(3).map((s) => ({
      offset: required(s.uint(1), "StripeInformation.offset"),
      indexLength: s.uint(2) ?? 0,
      dataLength: s.uint(3) ?? 0,
      footerLength: required(s.uint(4), "StripeInformation.footer_length"),
      numberOfRows: required(s.uint(5), "StripeInformation.number_of_rows"),
    })),
    types: m.messages(4).map(readType),
    numberOfRows: m.uint(6),
    statistics: m.messages(7).map(readColumnStatistics),
    rowIndexStride: m.uint(8),
    writer: m.uint(9),
    softwareVersion: m.string(12),
  };
}

export function decodeMetadata(bytes: Uint8Array): Metadata {
  const m = new ProtoMessage(bytes, "Metadata");
  return { stripeStats: m.messages(1).map((s) => s.messages(1).map(readColumnStatistics)) };
}

export function decodeStripeFooter(bytes: Uint8Array): StripeFooter {
  const m = new ProtoMessage(bytes, "StripeFooter");
  return {
    streams: m.messages(1).map((s) => ({
      kind: required(s.uint(1), "Stream.kind"),
      column: s.uint(2) ?? 0,
      length: s.uint(3) ?? 0,
    })),
    columns: m.messages(2).map((c) => ({ kind: c.uint(1) ?? 0, dictionarySize: c.uint(2) })),
    writerTimezone: m.string(3),
  };
}

export function decodeRowIndex(bytes: Uint8Array): RowIndexEntry[] {
  const m = new ProtoMessage(bytes, "RowIndex");
  return m.messages(1).map((e) => {
    const stats = e.message(2);
    return { positions: e.uints(1), statistics: stats ? readColumnStatistics(stats) : undefined };
  });
}
