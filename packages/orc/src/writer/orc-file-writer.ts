import type { ColumnEncoder } from "../columns/column-encoder.js";
import { createColumnEncoder } from "../columns/create-column-encoder.js";
import { CountStatistics, type Statistics } from "../columns/statistics.js";
import { frameSection } from "../encoding/out-stream.js";
import { OrcError } from "../errors.js";
import { encodeFooter, encodeMetadata, encodePostScript } from "../proto/encode-messages.js";
import type { ColumnStatistics, StripeInformation } from "../proto/orc-messages.js";
import { COMPRESSION_KINDS } from "../proto/orc-messages.js";
import { toTypeMessages } from "../schema.js";
import { type OrcWriterOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { encodeStripe } from "./stripe-writer.js";

/** A row: an object keyed by field name, or an array in field order. */
export type OrcRow = object;

export interface OrcWriteSummary {
  rows: number;
  stripes: number;
  bytes: number;
}

const MAGIC = Buffer.from("ORC");

/**
 * The synchronous core of the writer (spec/orc.md §3.10): rows are buffered per column until a stripe bound is
 * reached, then the stripe is encoded and handed to `emit` and forgotten, so memory stays within one stripe
 * whatever the number of rows. `finish()` emits Metadata, Footer and PostScript.
 */
export class OrcFileWriter {
  private readonly options: ResolvedOptions;
  private readonly columns: ColumnEncoder[];
  private readonly fieldNames: string[];
  private readonly stripes: StripeInformation[] = [];
  private readonly stripeStats: ColumnStatistics[][] = [];
  private readonly fileStats: Statistics[];
  private stripeRows = 0;
  private groupRows = 0;
  private totalRows = 0;
  private offset = 0;
  private closed = false;

  constructor(
    options: OrcWriterOptions,
    private readonly emit: (bytes: Buffer) => void,
  ) {
    this.options = resolveOptions(options);
    const { root, stringEncoding, dictionaryThreshold } = this.options;
    // Java ORC checks the dictionary ratio once, early in the stripe; 1000 values decide near-unique columns fast.
    const strings = { encoding: stringEncoding, dictionaryThreshold, dictionaryCheckRows: 1000 };
    this.columns = root.children.map((type) => createColumnEncoder(type, this.options.codec, strings));
    this.fieldNames = root.fieldNames;
    this.fileStats = [new CountStatistics(), ...this.columns.map((c) => c.newStatistics())];
  }

  /** Rows written so far. */
  get rows(): number {
    return this.totalRows;
  }

  /**
   * Adds one row. Every value is validated before any column takes one, so a row that throws
   * OrcError("INVALID_VALUE") leaves the writer as it was and the caller may go on.
   */
  write(row: OrcRow): void {
    if (this.closed) throw new OrcError("WRITER_CLOSED", "write() after end()");
    if (typeof row !== "object" || row === null)
      throw new OrcError("INVALID_VALUE", `A row must be an object or an array, got ${String(row)}`);
    const columns = this.columns;
    const prepared = new Array<unknown>(columns.length);
    const array = Array.isArray(row) ? (row as readonly unknown[]) : undefined;
    const record = row as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) {
      prepared[i] = (columns[i] as ColumnEncoder).prepare(array ? array[i] : record[this.fieldNames[i] as string]);
    }
    if (this.groupRows === 0) for (const column of columns) column.startGroup();
    for (let i = 0; i < columns.length; i++) (columns[i] as ColumnEncoder).add(prepared[i]);
    this.stripeRows++;
    this.totalRows++;
    if (++this.groupRows === this.options.rowIndexStride) this.endGroup();
    if (
      this.stripeRows >= this.options.stripeMaxRows ||
      ((this.stripeRows & 255) === 0 && this.heldBytes() >= this.options.stripeMaxBytes)
    ) {
      this.flushStripe();
    }
  }

  /** Bytes the current stripe holds so far (what `stripeMaxBytes` bounds). */
  heldBytes(): number {
    let bytes = 0;
    for (const column of this.columns) bytes += column.heldBytes;
    return bytes;
  }

  private endGroup(): void {
    for (const column of this.columns) column.endGroup();
    this.groupRows = 0;
  }

  private push(bytes: Buffer): void {
    if (this.offset === 0) {
      this.emit(MAGIC);
      this.offset = MAGIC.length;
    }
    if (bytes.length === 0) return;
    this.emit(bytes);
    this.offset += bytes.length;
  }

  private flushStripe(): void {
    if (this.stripeRows === 0) return;
    if (this.groupRows > 0) this.endGroup();
    const { codec, rowIndexStride } = this.options;
    if (this.offset === 0) this.push(Buffer.alloc(0));
    const stripe = encodeStripe(this.columns, this.stripeRows, rowIndexStride, codec, this.offset);
    for (const part of stripe.parts) this.push(part);
    this.stripes.push(stripe.info);
    this.stripeStats.push(stripe.statistics.map((s) => s.toMessage()));
    stripe.statistics.forEach((s, i) => {
      this.fileStats[i]?.merge(s);
    });
    this.stripeRows = 0;
  }

  /** Flushes the last stripe and writes the file tail (spec/orc.md §3.10 step 3). */
  finish(): OrcWriteSummary {
    if (this.closed) throw new OrcError("WRITER_CLOSED", "end() called twice");
    this.flushStripe();
    this.closed = true;
    if (this.offset === 0) this.push(Buffer.alloc(0));
    const { codec, root, rowIndexStride } = this.options;
    // spec/orc.md §3.1: zero rows = zero stripes and an empty Metadata (metadata_length 0).
    const metadata =
      this.stripes.length === 0
        ? Buffer.alloc(0)
        : frameSection(encodeMetadata({ stripeStats: this.stripeStats }), codec);
    const root0 = this.fileStats[0] as CountStatistics;
    root0.count = this.totalRows;
    const footer = frameSection(
      encodeFooter({
        headerLength: MAGIC.length,
        // spec/orc.md §3.1: header + stripes, the offset where Metadata starts.
        contentLength: this.offset,
        stripes: this.stripes,
        types: toTypeMessages(root),
        numberOfRows: this.totalRows,
        statistics: this.fileStats.map((s) => s.toMessage()),
        rowIndexStride,
      }),
      codec,
    );
    const postScript = encodePostScript({
      footerLength: footer.length,
      compression: COMPRESSION_KINDS.indexOf(codec.kind),
      compressionBlockSize: codec.blockSize,
      version: [0, 12],
      metadataLength: metadata.length,
      // spec/orc.md §3.9: 6 with Footer.writer and software_version left unset.
      writerVersion: 6,
      magic: "ORC",
    });
    if (postScript.length >= 256) throw new OrcError("INVALID_OPTION", "PostScript does not fit in 255 bytes");
    this.push(metadata);
    this.push(footer);
    this.push(postScript);
    this.push(Buffer.from([postScript.length]));
    return { rows: this.totalRows, stripes: this.stripes.length, bytes: this.offset };
  }
}
