/** The worker thread of encode-off-thread.ts: one data file's encoder, fed batches of cells, answering with bytes. */
import { parentPort, workerData } from "node:worker_threads";
import { COLUMNS, type ReportColumn } from "../columns.js";
import { type PackedColumn, unpackColumns } from "./batch-encoder.js";
import type { OffThreadFormat } from "./encode-off-thread.js";
import { orcEncoder } from "./orc.js";
import { parquetEncoder } from "./parquet.js";

const ENCODERS = { Parquet: parquetEncoder, ORC: orcEncoder };
const { format, columns } = workerData as { format: OffThreadFormat; columns: string[] };
const encoder = ENCODERS[format](columns.map((name) => COLUMNS.find((c) => c.csvName === name) as ReportColumn));
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
