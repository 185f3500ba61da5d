import type {
  ColumnStatistics,
  Footer,
  Metadata,
  PostScript,
  RowIndexEntry,
  StripeFooter,
  StripeInformation,
  TypeMessage,
} from "./orc-messages.js";
import { ProtoWriter } from "./proto-writer.js";

/** Field numbers follow orc_proto.proto (spec/orc.md §3.2 table). */

export function writeColumnStatistics(w: ProtoWriter, s: ColumnStatistics): void {
  w.uint(1, s.numberOfValues);
  const ints = s.intStatistics;
  if (ints) w.message(2, (m) => m.sint(1, ints.minimum).sint(2, ints.maximum).sint(3, ints.sum));
  const strings = s.stringStatistics;
  if (strings) w.message(4, (m) => m.string(1, strings.minimum).string(2, strings.maximum).sint(3, strings.sum));
  const buckets = s.bucketStatistics;
  if (buckets) w.message(5, (m) => m.packedUints(1, buckets.count));
  const ts = s.timestampStatistics;
  if (ts) {
    // spec/orc.md §3.4: with writer_version 6 only the _utc fields (3, 4) and the optional nanos (5, 6).
    w.message(9, (m) =>
      m.sint(3, ts.minimumUtc).sint(4, ts.maximumUtc).uint(5, ts.minimumNanos).uint(6, ts.maximumNanos),
    );
  }
  w.bool(10, s.hasNull);
}

export function encodeRowIndex(entries: readonly RowIndexEntry[]): Buffer {
  const w = new ProtoWriter();
  for (const entry of entries) {
    w.message(1, (e) => {
      e.packedUints(1, entry.positions);
      if (entry.statistics) {
        const stats = entry.statistics;
        e.message(2, (m) => writeColumnStatistics(m, stats));
      }
    });
  }
  return w.finish();
}

export function encodeStripeFooter(footer: StripeFooter): Buffer {
  const w = new ProtoWriter();
  for (const stream of footer.streams) {
    w.message(1, (m) => m.uint(1, stream.kind).uint(2, stream.column).uint(3, stream.length));
  }
  for (const encoding of footer.columns) {
    w.message(2, (m) => m.uint(1, encoding.kind).uint(2, encoding.dictionarySize));
  }
  w.string(3, footer.writerTimezone);
  return w.finish();
}

export function encodeMetadata(metadata: Metadata): Buffer {
  const w = new ProtoWriter();
  for (const stripe of metadata.stripeStats) {
    w.message(1, (s) => {
      for (const column of stripe) s.message(1, (m) => writeColumnStatistics(m, column));
    });
  }
  return w.finish();
}

function writeStripeInformation(w: ProtoWriter, s: StripeInformation): void {
  w.uint(1, s.offset).uint(2, s.indexLength).uint(3, s.dataLength).uint(4, s.footerLength).uint(5, s.numberOfRows);
}

function writeType(w: ProtoWriter, t: TypeMessage): void {
  w.uint(1, t.kind).packedUints(2, t.subtypes);
  for (const name of t.fieldNames) w.string(3, name);
  w.uint(4, t.maximumLength).uint(5, t.precision).uint(6, t.scale);
}

export function encodeFooter(footer: Footer): Buffer {
  const w = new ProtoWriter();
  w.uint(1, footer.headerLength).uint(2, footer.contentLength);
  for (const stripe of footer.stripes) w.message(3, (m) => writeStripeInformation(m, stripe));
  for (const type of footer.types) w.message(4, (m) => writeType(m, type));
  w.uint(6, footer.numberOfRows);
  for (const stats of footer.statistics) w.message(7, (m) => writeColumnStatistics(m, stats));
  w.uint(8, footer.rowIndexStride).uint(9, footer.writer).string(12, footer.softwareVersion);
  return w.finish();
}

export function encodePostScript(ps: PostScript): Buffer {
  const w = new ProtoWriter();
  w.uint(1, ps.footerLength).uint(2, ps.compression).uint(3, ps.compressionBlockSize);
  w.packedUints(4, ps.version).uint(5, ps.metadataLength).uint(6, ps.writerVersion);
  w.string(8000, ps.magic);
  return w.finish();
}
