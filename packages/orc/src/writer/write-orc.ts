import { once } from "node:events";
import { Transform, type Writable } from "node:stream";
import type { OrcWriterOptions } from "./options.js";
import { OrcFileWriter, type OrcRow, type OrcWriteSummary } from "./orc-file-writer.js";

/**
 * The streaming faces of OrcFileWriter. Each keeps at most one stripe of rows plus the encoded stripe being
 * handed on, and honours the output's backpressure.
 */

/** Waits for 'drain' (or 'close'/'error'), removing every listener it added. */
function drained(output: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      output.off("drain", done);
      output.off("close", done);
      output.off("error", done);
      resolve();
    };
    output.on("drain", done);
    output.on("close", done);
    output.on("error", done);
  });
}

/** Encodes rows into one Buffer (tests, small reports). */
export function encodeOrc(rows: Iterable<OrcRow>, options: OrcWriterOptions): Buffer {
  const parts: Buffer[] = [];
  const writer = new OrcFileWriter(options, (bytes) => parts.push(bytes));
  for (const row of rows) writer.write(row);
  writer.finish();
  return Buffer.concat(parts);
}

/**
 * Writes rows from any (async) iterable to a Node writable, waiting for 'drain' when it pushes back, and ends it.
 * @example await writeOrc(rows, createWriteStream("inventory.orc"), { schema: "struct<key:string,size:bigint>" })
 */
export async function writeOrc(
  rows: Iterable<OrcRow> | AsyncIterable<OrcRow>,
  output: Writable,
  options: OrcWriterOptions,
): Promise<OrcWriteSummary> {
  let pending: Buffer[] = [];
  const writer = new OrcFileWriter(options, (bytes) => pending.push(bytes));
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  output.on("error", onError);
  const drainPending = async () => {
    const parts = pending;
    pending = [];
    for (const part of parts) {
      if (failure) throw failure;
      if (!output.write(part)) await drained(output);
    }
    if (failure) throw failure;
  };
  try {
    for await (const row of rows) {
      writer.write(row);
      if (pending.length > 0) await drainPending();
    }
    const summary = writer.finish();
    await drainPending();
    output.end();
    await once(output, "finish");
    return summary;
  } finally {
    output.off("error", onError);
  }
}

/**
 * A Transform with rows in (object mode) and ORC bytes out, for `pipeline(rows, createOrcStream(opts), file)`.
 * Its `summary` is set once the stream has flushed.
 */
export function createOrcStream(options: OrcWriterOptions): Transform & { summary?: OrcWriteSummary } {
  let writer: OrcFileWriter;
  const stream: Transform & { summary?: OrcWriteSummary } = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    transform(row: OrcRow, _encoding, callback) {
      try {
        writer.write(row);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        stream.summary = writer.finish();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  // Created after the stream so a bad schema throws here, synchronously, before any piping starts.
  writer = new OrcFileWriter(options, (bytes) => stream.push(bytes));
  return stream;
}
