import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { INVENTORY_SCHEMA, readInventoryTsv } from "../../test/inventory-rows.js";
import { RANDOM_SCHEMA, randomRows } from "../../test/random-rows.js";
import { encodeOrc, parseTimestamp } from "../index.js";
import type { OrcWriterOptions } from "./options.js";

/**
 * Files from this writer read by an independent reader: Apache ORC C++ inside pyarrow. Skipped when pyarrow is
 * not importable; install it from the machine's local wheel mirror with
 * `pip install --no-index --find-links /opt/pypi/files pyarrow` (README "Independent reader").
 */
const SCRIPT = new URL("../../test/read-with-pyarrow.py", import.meta.url).pathname;
const hasPyarrow = spawnSync("python3", ["-c", "import pyarrow.orc"], { encoding: "utf8" }).status === 0;
const dir = mkdtempSync(join(tmpdir(), "orc-pyarrow-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readWithPyarrow(bytes: Buffer): { meta: Record<string, unknown>; rows: (string | null)[][] } {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.orc`);
  writeFileSync(file, bytes);
  const result = spawnSync("python3", [SCRIPT, file], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`pyarrow failed: ${result.stderr}`);
  const [meta, ...rows] = result.stdout.trimEnd().split("\n");
  return { meta: JSON.parse(meta as string), rows: rows.map((line) => JSON.parse(line)) };
}

/** The writer's input, spelled the way the script prints values. */
function expected(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" && /^\d{4}-\d\d-\d\d /.test(value)) value = parseTimestamp(value);
  if (typeof value === "object" && "seconds" in (value as object)) {
    const ts = value as { seconds: number; nanos: number };
    // spec/orc.md §3.4: readers return (-1 s, > 999999 ns) as 0 s (Java truncation on write).
    const seconds = ts.seconds === -1 && ts.nanos > 999_999 ? 0 : ts.seconds;
    return String(BigInt(seconds) * 1_000_000_000n + BigInt(ts.nanos));
  }
  return String(value);
}

describe.skipIf(!hasPyarrow)("independent reader: Apache ORC C++ (pyarrow) reads the writer's files", () => {
  const cases: [string, object[], string, Omit<OrcWriterOptions, "schema">][] = [];
  for (const compression of ["NONE", "ZLIB"] as const) {
    for (const stringEncoding of ["direct", "dictionary", "auto"] as const) {
      cases.push([
        `inventory10k ${compression} ${stringEncoding}`,
        readInventoryTsv("inventory10k.tsv"),
        INVENTORY_SCHEMA,
        { compression, stringEncoding },
      ]);
    }
  }
  cases.push(["inventory5 ZLIB", readInventoryTsv("inventory5.tsv"), INVENTORY_SCHEMA, {}]);
  cases.push([
    "random 20k rows, 30% nulls, small stripes and groups",
    randomRows(9, 20_000, 0.3),
    RANDOM_SCHEMA,
    { stripeMaxRows: 6000, rowIndexStride: 1000, compressionBlockSize: 4096 },
  ]);
  cases.push([
    "random 20k rows, no nulls, no index, NONE",
    randomRows(10, 20_000, 0),
    RANDOM_SCHEMA,
    { compression: "NONE", rowIndexStride: 0 },
  ]);
  cases.push(["0 rows", [], INVENTORY_SCHEMA, {}]);

  it.each(cases)("%s", (_name, rows, schema, options) => {
    const bytes = encodeOrc(rows as Record<string, unknown>[], { schema, ...options });
    const { meta, rows: read } = readWithPyarrow(bytes);
    expect(meta).toMatchObject({
      rows: rows.length,
      file_version: "0.12",
      writer_version: "ORC_135",
      compression: options.compression === "NONE" ? "UNCOMPRESSED" : "ZLIB",
    });
    const names = schema
      .slice("struct<".length, -1)
      .split(",")
      .map((f) => f.split(":")[0] as string);
    expect(read).toEqual(rows.map((row) => names.map((name) => expected((row as Record<string, unknown>)[name]))));
  });
});
