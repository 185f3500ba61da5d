import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { createOrcStream, encodeOrc, OrcError, OrcFileWriter, OrcReader, readOrc, writeOrc } from "../index.js";

const SCHEMA = "struct<key:string,size:bigint,latest:boolean,modified:timestamp>";
const row = (i: number) => ({
  key: `k/${i}`,
  size: i,
  latest: i % 2 === 0,
  modified: new Date(Date.UTC(2024, 0, 1) + i * 1000),
});

/** A slow sink that pushes back after every chunk, recording the largest amount it was ever handed at once. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.chunks.push(chunk);
    setImmediate(callback);
  }
}

describe("streaming API", () => {
  it("writeOrc: async iterable in, bytes out with backpressure, same bytes as encodeOrc", async () => {
    async function* rows() {
      for (let i = 0; i < 30_000; i++) yield row(i);
    }
    const sink = new SlowSink();
    const summary = await writeOrc(rows(), sink, { schema: SCHEMA, stripeMaxRows: 7000 });
    const bytes = Buffer.concat(sink.chunks);
    expect(summary).toEqual({ rows: 30_000, stripes: 5, bytes: bytes.length });
    expect(bytes).toEqual(
      encodeOrc(
        Array.from({ length: 30_000 }, (_, i) => row(i)),
        { schema: SCHEMA, stripeMaxRows: 7000 },
      ),
    );
    expect(sink.listenerCount("drain")).toBe(0);
    expect(sink.listenerCount("close")).toBe(0);
  });

  it("createOrcStream: a Transform for pipeline(), rows in, bytes out", async () => {
    const sink = new SlowSink();
    const stream = createOrcStream({ schema: SCHEMA });
    await pipeline(Readable.from(Array.from({ length: 5000 }, (_, i) => row(i))), stream, sink);
    const { rows } = readOrc(Buffer.concat(sink.chunks));
    expect(rows).toHaveLength(5000);
    expect(rows[4999]).toEqual({
      key: "k/4999",
      size: 4999,
      latest: false,
      modified: { seconds: 1704067200 + 4999, nanos: 0 },
    });
    expect(stream.summary?.rows).toBe(5000);
  });

  it("memory stays within one stripe: bytes are handed on as each stripe completes", () => {
    const sizes: number[] = [];
    const writer = new OrcFileWriter({ schema: SCHEMA, stripeMaxBytes: 64 * 1024 }, (bytes) =>
      sizes.push(bytes.length),
    );
    let maxHeld = 0;
    for (let i = 0; i < 100_000; i++) {
      writer.write(row(i));
      maxHeld = Math.max(maxHeld, writer.heldBytes());
    }
    writer.finish();
    expect(maxHeld).toBeLessThan(64 * 1024 + 16 * 1024);
    expect(sizes.length).toBeGreaterThan(10);
  });

  it("a bad value throws INVALID_VALUE and leaves the writer usable", () => {
    const parts: Buffer[] = [];
    const writer = new OrcFileWriter({ schema: SCHEMA }, (b) => parts.push(b));
    writer.write(row(1));
    for (const bad of [
      { key: 5 },
      { size: 1.5 },
      { size: 2n ** 63n },
      { latest: "yes" },
      { modified: "yesterday" },
      { modified: new Date(Number.NaN) },
    ]) {
      expect(() => writer.write({ ...row(2), ...bad })).toThrow(expect.objectContaining({ code: "INVALID_VALUE" }));
    }
    writer.write(row(3));
    writer.finish();
    expect(readOrc(Buffer.concat(parts)).rows.map((r) => (r as { key: string }).key)).toEqual(["k/1", "k/3"]);
    expect(() => writer.write(row(4))).toThrow(expect.objectContaining({ code: "WRITER_CLOSED" }));
    expect(() => writer.finish()).toThrow(expect.objectContaining({ code: "WRITER_CLOSED" }));
  });

  it("schema and option errors are coded and thrown before any byte is written", () => {
    const attempts: [object, string][] = [
      [{ schema: "struct<a:int>" }, "INVALID_SCHEMA"],
      [{ schema: "struct<a:strin>" }, "INVALID_SCHEMA"],
      [{ schema: "string" }, "INVALID_SCHEMA"],
      [{ schema: "struct<a:string,a:bigint>" }, "INVALID_SCHEMA"],
      [{ schema: [{ name: "a", type: "string" }], compression: "SNAPPY" }, "INVALID_OPTION"],
      [{ schema: SCHEMA, compressionBlockSize: 2 ** 23 }, "INVALID_OPTION"],
      [{ schema: SCHEMA, rowIndexStride: -1 }, "INVALID_OPTION"],
      [{ schema: SCHEMA, dictionaryThreshold: 2 }, "INVALID_OPTION"],
    ];
    for (const [options, code] of attempts) {
      let emitted = 0;
      expect(() => new OrcFileWriter(options as never, () => emitted++)).toThrow(expect.objectContaining({ code }));
      expect(emitted).toBe(0);
    }
    expect(new OrcError("NOT_ORC", "x")).toBeInstanceOf(Error);
  });

  it("accepts AWS's fileSchema string and a field list alike", () => {
    const fields = [
      { name: "key", type: "string" },
      { name: "size", type: "bigint" },
      { name: "latest", type: "boolean" },
      { name: "modified", type: "timestamp" },
    ];
    const a = encodeOrc([row(1)], { schema: SCHEMA });
    const b = encodeOrc([row(1)], { schema: fields });
    expect(a).toEqual(b);
    expect(new OrcReader(a).schemaString).toBe(SCHEMA);
  });
});
