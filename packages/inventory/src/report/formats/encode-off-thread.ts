import { existsSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ReportColumn, ReportRow } from "../columns.js";
import { type PackedColumn, packColumns, packedBuffers, unpackColumns } from "./batch-encoder.js";
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
/** Batches (of 1,000 rows) handed to the worker and not yet encoded, while the next ones are read. */
const QUEUED_BATCHES = 16;

/** One data file's encoder on a worker thread: batches go in, in order; each answer is the bytes of one batch. */
class EncoderWorker {
  private readonly worker: Worker;
  private readonly arrived: (Buffer[] | Error)[] = [];
  private readonly waiting: ((answer: Buffer[] | Error) => void)[] = [];
  private failure: Error | undefined;

  constructor(fileFormat: string, columns: readonly ReportColumn[]) {
    this.worker = new Worker(WORKER_SCRIPT, {
      workerData: { fileFormat, columns: columns.map((c) => c.csvName) },
      // A smaller young generation than V8's default: with the default a 1M-row Parquet report peaked at ~300 MB
      // RSS, with 8 MB at ~265 MB, for the same CPU time (scripts/bench/inventory.mjs).
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.worker.on("message", (message: { chunks?: Uint8Array[]; error?: string }) => {
      const answer =
        message.error !== undefined
          ? new Error(message.error)
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

  send(packed: PackedColumn[], rows: number): void {
    this.worker.postMessage({ packed, rows }, packedBuffers(packed));
  }

  finish(): void {
    this.worker.postMessage({ end: true });
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
 * A data file's bytes from its batches. A report larger than one batch is encoded on a worker thread while this
 * thread reads the next rows from the snapshot: reading 1M versions takes ~2.5 s here, and encoding them ~2 s
 * (CSV) to ~4.5 s (Parquet, ORC) more, so overlapped on two cores the report takes the longer of the two, not
 * their sum (scripts/bench/inventory.mjs). The cells cross packed in transferred buffers (batch-encoder.ts). Small
 * files (most test reports) are encoded here, with the same packing and encoder, so the bytes are the same either
 * way. The text formats are then gzipped on the thread pool (parallel-gzip.ts).
 */
export function encodeDataFile(
  format: ReportFormat,
  columns: readonly ReportColumn[],
  batches: AsyncIterable<ReportRow[]>,
): Readable {
  const encoded = encodeBatches(format, columns, batches);
  return Readable.from(format.gzip ? parallelGzip(encoded, { level: TEXT_GZIP_LEVEL }) : encoded);
}

async function* encodeBatches(
  format: ReportFormat,
  columns: readonly ReportColumn[],
  batches: AsyncIterable<ReportRow[]>,
): AsyncGenerator<Buffer> {
  const iterator = batches[Symbol.asyncIterator]();
  const pulled: ReportRow[][] = [];
  let pulledRows = 0;
  let exhausted = false;
  while (!exhausted && pulledRows < OFF_THREAD_MIN_ROWS) {
    const next = await iterator.next();
    if (next.done) exhausted = true;
    else {
      pulled.push(next.value);
      pulledRows += next.value.length;
    }
  }
  async function* all() {
    yield* pulled;
    if (exhausted) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }

  if (exhausted || !workerAvailable) {
    const encoder = format.createEncoder(columns);
    // The same packing as for the worker, so that a file's bytes do not depend on where it was encoded.
    for await (const batch of all())
      yield* encoder.write(unpackColumns(packColumns(columns, batch), batch.length, encoder.textAsBytes), batch.length);
    yield* encoder.finish();
    return;
  }
  const worker = new EncoderWorker(format.fileFormat, columns);
  try {
    let queued = 0;
    for await (const batch of all()) {
      if (queued === QUEUED_BATCHES) {
        yield* await worker.answer();
        queued--;
      }
      worker.send(packColumns(columns, batch), batch.length);
      queued++;
    }
    worker.finish();
    for (queued++; queued > 0; queued--) yield* await worker.answer();
  } finally {
    await worker.close();
  }
}
