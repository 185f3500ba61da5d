/** The worker thread of encode-off-thread.ts: one data file's encoder, fed pages of rows, answering with bytes. */
import { parentPort, workerData } from "node:worker_threads";
import type { SnapshotPage } from "@inv-emulator/s3";
import { COLUMNS, type ReportColumn } from "../columns.js";
import { columnValues, type PackedColumn, reportRows, unpackColumns } from "./batch-encoder.js";
import { REPORT_FORMATS } from "./index.js";

/** What the thread encodes: a format, its columns (by fileSchema name) and the source bucket of the rows. */
export interface EncoderSetup {
  fileFormat: string;
  columns: string[];
  bucket: string;
}

/** What a failed encoding posts back: the error's parts, which structured cloning would not keep together. */
export interface EncoderFailure {
  name: string;
  message: string;
  stack?: string;
}

/** A page to decode here, a page's cells packed by the main thread, or the end of the file. */
export type EncoderMessage = { page: SnapshotPage } | { packed: PackedColumn[]; rows: number } | { end: true };

const setup = workerData as EncoderSetup;
const format = REPORT_FORMATS[setup.fileFormat];
if (!format) throw new Error(`no report format ${setup.fileFormat}`);
const columns = setup.columns.map((name) => COLUMNS.find((c) => c.csvName === name) as ReportColumn);
const encoder = format.createEncoder(columns);
const port = parentPort as NonNullable<typeof parentPort>;

function encode(message: EncoderMessage): Buffer[] {
  if ("end" in message) return encoder.finish();
  if ("packed" in message)
    return encoder.write(unpackColumns(message.packed, message.rows, encoder.textAsBytes), message.rows);
  const rows = reportRows(message.page, setup.bucket);
  return encoder.write(columnValues(columns, rows, encoder.textAsBytes), rows.length);
}

port.on("message", (message: EncoderMessage) => {
  try {
    const chunks = encode(message);
    // The encoders hand out fresh buffers: one that owns its whole ArrayBuffer moves to the main thread instead of
    // being copied (slices of Node's shared pool are copied).
    const owned = chunks
      .filter((c) => c.byteOffset === 0 && c.byteLength === c.buffer.byteLength)
      .map((c) => c.buffer as ArrayBuffer);
    port.postMessage({ chunks }, owned);
  } catch (error) {
    const failure: EncoderFailure =
      error instanceof Error
        ? { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
        : { name: "Error", message: String(error) };
    port.postMessage({ error: failure });
  }
});
