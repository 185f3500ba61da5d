import type { Readable } from "node:stream";
import type { ReportColumn, ReportRow } from "../columns.js";

/** One output format: how its data files are named and described, and how rows become their bytes. */
export interface ReportFormat {
  /** `fileFormat` in manifest.json: the configuration's Format spelling. */
  fileFormat: string;
  /** Data file extension without the dot (`csv.gz`). */
  extension: string;
  contentType: string;
  /** `fileSchema` in manifest.json (spec/inventory.md §2.6). */
  fileSchema(columns: readonly ReportColumn[]): string;
  /** The bytes of one data file holding `batches`. */
  encode(columns: readonly ReportColumn[], batches: AsyncIterable<ReportRow[]>): Readable;
}
