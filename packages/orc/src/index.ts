export { ORC_ERROR_CODES, OrcError, type OrcErrorCode } from "./errors.js";
export type {
  ColumnStatistics,
  CompressionKind,
  Footer,
  Metadata,
  PostScript,
  RowIndexEntry,
  StripeFooter,
  StripeInformation,
} from "./proto/orc-messages.js";
export { toContentsJson } from "./reader/contents-json.js";
export { OrcReader, type OrcValueRow, readOrc } from "./reader/orc-reader.js";
export { formatOrcType, type OrcField, type OrcType, type OrcTypeKind, parseOrcType } from "./schema.js";
export { formatTimestamp, type OrcTimestamp, parseTimestamp, timestampToDate } from "./timestamp.js";
export type { OrcWriterOptions } from "./writer/options.js";
export { OrcFileWriter, type OrcRow, type OrcWriteSummary } from "./writer/orc-file-writer.js";
export { createOrcStream, encodeOrc, writeOrc } from "./writer/write-orc.js";
