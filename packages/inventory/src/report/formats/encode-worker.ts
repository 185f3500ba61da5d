/** The worker thread of encode-off-thread.ts: one data file's encoder, fed batches of cells, answering with bytes. */
import { parentPort, workerData } from "node:worker_threads";
import { COLUMNS, type ReportColumn } from "../columns.js";
import type { PackedColumn } from "./batch-encoder.js";
import { unpackColumns } from "./batch-encoder.js";
import { REPORT_FORMATS } from "./index.js";

const { fileFormat, columns } = workerData as { fileFormat: string; columns: string[] };
const format = REPORT_FORMATS[fileFormat];
if (!format) throw new Error(`no report format ${fileFormat}`);
const encoder = format.createEncoder(columns.map((name) => COLUMNS.find((c) => c.csvName === name) as ReportColumn));
const port = parentPort as NonNullable<typeof parentPort>;

port.on("message", (message: { packed: PackedColumn[]; rows: number } | { end: true }) => {
  try {
    const chunks =
      "end" in message
        ? encoder.finish()
        : encoder.write(unpackColumns(message.packed, message.rows, encoder.textAsBytes), message.rows);
    // The encoders hand out fresh buffers: one that owns its whole ArrayBuffer moves to the main thread instead of
    // being copied (slices of Node's shared pool are copied).
    const owned = chunks
      .filter((c) => c.byteOffset === 0 && c.byteLength === c.buffer.byteLength)
      .map((c) => c.buffer as ArrayBuffer);
    port.postMessage({ chunks }, owned);
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
