import type { ReportColumn } from "../columns.js";
import type { BatchEncoder } from "./batch-encoder.js";

/** One output format: how its data files are named and described, and how rows become their bytes. */
export interface ReportFormat {
  /** `fileFormat` in manifest.json: the configuration's Format spelling, and the key of REPORT_FORMATS. */
  fileFormat: string;
  /** Data file extension without the dot (`csv.gz`). */
  extension: string;
  contentType: string;
  /** `fileSchema` in manifest.json (spec/inventory.md §2.6). */
  fileSchema(columns: readonly ReportColumn[]): string;
  /** The encoder of one data file; encodeDataFile (encode-off-thread.ts) runs it here or on a worker thread. */
  createEncoder(columns: readonly ReportColumn[]): BatchEncoder;
  /** Whether the encoder's bytes are then gzipped (the text formats). */
  gzip: boolean;
  /**
   * Where a large file's snapshot pages become rows and cells: on the encoder thread, beside a light encoder (the
   * text formats: this thread keeps reading SQLite, the thread pool gzips), or on this thread, which then sends
   * packed cells to a heavy encoder (Parquet, ORC), so that the two threads' shares of the work stay even.
   */
  decodeOnEncoderThread: boolean;
}
