import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SnapshotPage } from "@inv-emulator/s3";
import type { ReportColumn } from "../columns.js";
import { columnValues, packColumns, packedBuffers, reportRows } from "./batch-encoder.js";
import type { EncoderFailure, EncoderMessage, EncoderSetup } from "./encode-worker.js";
import { parallelGzip } from "./parallel-gzip.js";
import type { ReportFormat } from "./report-format.js";

const WORKER_SCRIPT = new URL("./encode-worker.js", import.meta.url);
/** From TypeScript sources (unit tests) there is no compiled worker script: everything is encoded on this thread. */
const workerAvailable = existsSync(fileURLToPath(WORKER_SCRIPT));
/**
 * Smaller files are encoded on this thread: starting a thread takes ~90 ms, more than it would save. Deciding
 * needs this many rows read ahead; more would hold more memory (50,000 added ~20 MB to a 1M-row report's peak).
 */
const OFF_THREAD_MIN_ROWS = 10_000;
/**
 * gzip level of the text formats. AWS does not say which it uses (Java's GZIPOutputStream defaults to 6). Level 1
 * takes half the CPU of level 6 on report text for files ~6% larger (0.319 vs 0.301 of the CSV): 2.1 s instead of
 * 4.2 s of a 1M-row CSV report, more than any other step (scripts/bench/inventory.mjs). Every gzip reader reads it.
 */
const TEXT_GZIP_LEVEL = 1;
/** Pages (of ~500 rows) handed to the worker and not yet encoded, while the next ones are read. */
const QUEUED_PAGES = 16;

/** One data file's encoder on a worker thread: pages go in, in order; each answer is the bytes of one page. */
class EncoderWorker {
  private readonly worker: Worker;
  private readonly arrived: (Buffer[] | Error)[] = [];
  private readonly waiting: ((answer: Buffer[] | Error) => void)[] = [];
  private failure: Error | undefined;

  constructor(format: ReportFormat, columns: readonly ReportColumn[], bucket: string) {
    const { fileFormat } = format;
    const setup: EncoderSetup = { fileFormat, columns: columns.map((c) => c.csvName), bucket };
    this.worker = new Worker(WORKER_SCRIPT, {
      workerData: setup,
      // Parquet and ORC encoders hold a row group's cells, which outlive a small young generation anyway: with V8's
      // default a 1M-row Parquet report peaked at ~300 MB RSS, with 8 MB at ~265 MB, for the same CPU time. A thread
      // that also decodes pages makes short-lived rows: with 8 MB, scavenges took ~0.9 s of a 1M-row CSV report's
      // CPU, with 32 MB ~0.3 s (scripts/bench/inventory.mjs).
      resourceLimits: { maxYoungGenerationSizeMb: format.decodeOnEncoderThread ? 32 : 8 },
    });
    this.worker.on("message", (message: { chunks?: Uint8Array[]; error?: EncoderFailure }) => {
      const answer = message.error
        ? // The encoder's own message (a run's reason is one line); its stack, from the worker, stays in the stack.
          Object.assign(new Error(message.error.message), { name: message.error.name, stack: message.error.stack })
        : (message.chunks ?? []).map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
      const waiter = this.waiting.shift();
      if (waiter) waiter(answer);
      else this.arrived.push(answer);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiting.splice(0)) waiter(error);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the ${fileFormat} encoder thread exited (code ${code})`)));
  }

  send(message: EncoderMessage): void {
    this.worker.postMessage(message, "packed" in message ? packedBuffers(message.packed) : []);
  }

  async answer(): Promise<Buffer[]> {
    const answer =
      this.arrived.shift() ??
      this.failure ??
      (await new Promise<Buffer[] | Error>((resolve) => this.waiting.push(resolve)));
    if (answer instanceof Error) throw answer;
    return answer;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * A data file's bytes from the snapshot pages of its rows. A file larger than a page is encoded on a worker thread
 * while this thread reads the next pages from SQLite: reading 1M versions takes ~1.2 s here, turning them into
 * rows ~0.7 s more, and encoding them ~2 s (CSV) to ~4 s (Parquet, ORC), so overlapped on two cores the report
 * takes the longer share, not the sum (scripts/bench/inventory.mjs). Where the pages become rows and cells is the
 * format's choice (ReportFormat.decodeOnEncoderThread); packed cells cross in transferred buffers
 * (batch-encoder.ts). Small files (most test reports) are encoded here by the same encoder from the same cells, so
 * the bytes are the same either way. The text formats are then gzipped on the thread pool (parallel-gzip.ts).
 */
export function encodeDataFile(
  format: ReportFormat,
  columns: readonly ReportColumn[],
  bucket: string,
  pages: AsyncIterable<SnapshotPage>,
): Readable {
  const encoded = encodePages(format, columns, bucket, pages);
  return Readable.from(format.gzip ? parallelGzip(encoded, { level: TEXT_GZIP_LEVEL }) : encoded);
}

async function* encodePages(
  format: ReportFormat,
  columns: readonly ReportColumn[],
  bucket: string,
  pages: AsyncIterable<SnapshotPage>,
): AsyncGenerator<Buffer> {
  const iterator = pages[Symbol.asyncIterator]();
  const pulled: SnapshotPage[] = [];
  let pulledRows = 0;
  let exhausted = false;
  while (!exhausted && pulledRows < OFF_THREAD_MIN_ROWS) {
    const next = await iterator.next();
    if (next.done) exhausted = true;
    else {
      pulled.push(next.value);
      pulledRows += next.value.rows;
    }
  }
  async function* all() {
    yield* pulled;
    if (exhausted) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }

  if (exhausted || !workerAvailable) {
    const encoder = format.createEncoder(columns);
    for await (const page of all()) {
      const rows = reportRows(page, bucket);
      yield* encoder.write(columnValues(columns, rows, encoder.textAsBytes), rows.length);
    }
    yield* encoder.finish();
    return;
  }
  const worker = new EncoderWorker(format, columns, bucket);
  try {
    let queued = 0;
    for await (const page of all()) {
      if (queued === QUEUED_PAGES) {
        yield* await worker.answer();
        queued--;
      }
      if (format.decodeOnEncoderThread) worker.send({ page });
      else {
        const rows = reportRows(page, bucket);
        worker.send({ packed: packColumns(columns, rows), rows: rows.length });
      }
      queued++;
    }
    worker.send({ end: true });
    for (queued++; queued > 0; queued--) yield* await worker.answer();
  } finally {
    await worker.close();
  }
}
