/**
 * ORC's protobuf messages as plain objects (orc_proto.proto, spec/orc.md §3.2), shared by the writer's
 * encoders and the decoder. Only the fields this package reads or writes are modelled.
 */

/** CompressionKind: index = wire id. */
export const COMPRESSION_KINDS = ["NONE", "ZLIB", "SNAPPY", "LZO", "LZ4", "ZSTD"] as const;
export type CompressionKind = (typeof COMPRESSION_KINDS)[number];

/** Stream.Kind wire ids (spec/orc.md §3.2). */
export const StreamKind = {
  PRESENT: 0,
  DATA: 1,
  LENGTH: 2,
  DICTIONARY_DATA: 3,
  DICTIONARY_COUNT: 4,
  SECONDARY: 5,
  ROW_INDEX: 6,
  BLOOM_FILTER: 7,
  BLOOM_FILTER_UTF8: 8,
} as const;

/** ColumnEncoding.Kind: index = wire id. */
export const ENCODING_KINDS = ["DIRECT", "DICTIONARY", "DIRECT_V2", "DICTIONARY_V2"] as const;
export type EncodingKind = (typeof ENCODING_KINDS)[number];

export interface PostScript {
  footerLength: number;
  compression: number;
  compressionBlockSize?: number;
  version: number[];
  metadataLength: number;
  writerVersion?: number;
  magic?: string;
}

export interface StripeInformation {
  offset: number;
  indexLength: number;
  dataLength: number;
  footerLength: number;
  numberOfRows: number;
}

export interface TypeMessage {
  kind: number;
  subtypes: number[];
  fieldNames: string[];
  maximumLength?: number;
  precision?: number;
  scale?: number;
}

export interface IntegerStatistics {
  minimum?: bigint;
  maximum?: bigint;
  sum?: bigint;
}

export interface StringStatistics {
  minimum?: string;
  maximum?: string;
  sum?: bigint;
}

export interface TimestampStatistics {
  /** Legacy fields (writer-local ms); written by old Java writers and AWS, read for completeness. */
  minimum?: bigint;
  maximum?: bigint;
  minimumUtc?: bigint;
  maximumUtc?: bigint;
  /** Sub-millisecond nanos + 1 (0 / absent = unknown). */
  minimumNanos?: number;
  maximumNanos?: number;
}

export interface ColumnStatistics {
  numberOfValues?: number;
  intStatistics?: IntegerStatistics;
  doubleStatistics?: { minimum?: number; maximum?: number; sum?: number };
  stringStatistics?: StringStatistics;
  bucketStatistics?: { count: number[] };
  dateStatistics?: { minimum?: number; maximum?: number };
  binaryStatistics?: { sum?: bigint };
  timestampStatistics?: TimestampStatistics;
  hasNull?: boolean;
}

export interface Footer {
  headerLength?: number;
  contentLength?: number;
  stripes: StripeInformation[];
  types: TypeMessage[];
  numberOfRows?: number;
  statistics: ColumnStatistics[];
  rowIndexStride?: number;
  writer?: number;
  softwareVersion?: string;
}

export interface StreamMessage {
  kind: number;
  column: number;
  length: number;
}

export interface ColumnEncodingMessage {
  kind: number;
  dictionarySize?: number;
}

export interface StripeFooter {
  streams: StreamMessage[];
  columns: ColumnEncodingMessage[];
  writerTimezone?: string;
}

export interface RowIndexEntry {
  positions: number[];
  statistics?: ColumnStatistics;
}

export interface Metadata {
  stripeStats: ColumnStatistics[][];
}
