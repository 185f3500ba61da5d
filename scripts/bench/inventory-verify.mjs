/**
 * Correctness check for the inventory bench's code paths: seeds the bench's bucket (inventory-data.mjs) with
 * `versions` versions, runs CSV, Parquet and ORC reports (one data file each, then split every `split` rows),
 * reads every data file back (gunzip + a CSV parser, hyparquet, the ORC decoder) and compares each row, cell by
 * cell, with the snapshot the reports were made from. Large enough (default 25,000) to take the worker-thread path.
 *
 *   npx -y pnpm@9 build && node scripts/bench/inventory-verify.mjs [versions=25000] [split=12000]
 *
 * Prints one line per report and exits 1 on the first mismatch.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parquetReadObjects } from "hyparquet";
import { benchObjects, CONFIGURATIONS, DESTINATION, SOURCE } from "./inventory-data.mjs";
import { createBenchBuckets } from "./inventory-setup.mjs";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const inventoryModule = process.env.BENCH_INVENTORY_MODULE ?? "@inv-emulator/inventory";
const s3Module = process.env.BENCH_INVENTORY_MODULE
  ? new URL("../../s3/dist/index.js", process.env.BENCH_INVENTORY_MODULE).href
  : "@inv-emulator/s3";
const { startInventoryEmulator, selectColumns, findConfiguration, engineHost } = await import(inventoryModule);
const { seedObjects } = await import(s3Module);
const { readOrc } = await import("@inv-emulator/orc");

const VERSIONS = Number(process.argv[2] ?? 25_000);
const SPLIT = Number(process.argv[3] ?? 12_000);

/** A cell as the comparison sees it: numbers for sizes and instants (ms), strings, booleans, null. */
const normalize = {
  csv(column, text) {
    if (text === "") return null;
    if (column.kind === "boolean") return text === "true" ? true : text === "false" ? false : `bad boolean ${text}`;
    if (column.kind === "bigint") return Number(text);
    if (column.kind === "timestamp") return Date.parse(text);
    return column.name === "key" ? decodeURIComponent(text.replace(/\+/g, " ")) : text;
  },
  parquet(_column, value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") return Number(value);
    if (value instanceof Date) return value.getTime();
    return value;
  },
  orc(column, value) {
    if (value === null || value === undefined) return null;
    if (typeof value === "bigint") return Number(value);
    if (column.kind === "timestamp") return value.seconds * 1000 + Math.floor(value.nanos / 1e6);
    return value;
  },
};

/** RFC 4180 fields of one CSV line ("" inside quotes is a quote). */
function csvFields(line) {
  const fields = [];
  for (let i = 0; i < line.length; ) {
    if (line[i] !== '"') throw new Error(`unquoted CSV field at ${i}: ${line}`);
    let value = "";
    for (i++; ; ) {
      const quote = line.indexOf('"', i);
      value += line.slice(i, quote);
      i = quote + 1;
      if (line[i] === '"') {
        value += '"';
        i++;
      } else break;
    }
    fields.push(value);
    if (i < line.length && line[i++] !== ",") throw new Error(`bad CSV separator in ${line}`);
  }
  return fields;
}

async function decode(format, columns, bytes) {
  if (format === "CSV") {
    const text = gunzipSync(bytes).toString("utf8");
    const lines = text.split("\n");
    if (lines.pop() !== "") throw new Error("CSV does not end with a newline");
    return lines.map((line) => csvFields(line).map((field, i) => normalize.csv(columns[i], field)));
  }
  if (format === "Parquet") {
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = await parquetReadObjects({ file });
    return rows.map((row) => columns.map((column) => normalize.parquet(column, row[column.name])));
  }
  const { rows } = readOrc(bytes);
  return rows.map((row) => columns.map((column) => normalize.orc(column, row[column.name])));
}

async function check(emulator, label) {
  const { engine } = emulator;
  const host = engineHost(engine);
  for (const [id, format] of Object.entries(CONFIGURATIONS)) {
    const columns = selectColumns(findConfiguration(host, SOURCE, id));
    const snapshot = engine.metadata.openSnapshot();
    const expected = [];
    try {
      for (const version of snapshot.versions(SOURCE, { prefix: "", currentOnly: false })) {
        const row = { ...version, bucket: SOURCE };
        expected.push(columns.map((column) => column.value(row)));
      }
    } finally {
      snapshot.close();
    }
    const run = await emulator.inventory.run({ bucket: SOURCE, id });
    if (run.status !== "succeeded") throw new Error(`${label} ${format}: ${run.reason}`);
    const actual = [];
    for (const key of run.dataKeys) {
      const version = engine.metadata.getVersion(DESTINATION, key);
      const chunks = [];
      for await (const chunk of engine.blobs.read(version.blobId)) chunks.push(chunk);
      actual.push(...(await decode(format, columns, Buffer.concat(chunks))));
    }
    if (actual.length !== expected.length)
      throw new Error(`${label} ${format}: ${actual.length} rows, expected ${expected.length}`);
    for (let r = 0; r < expected.length; r++) {
      for (let c = 0; c < columns.length; c++) {
        if (!Object.is(actual[r][c], expected[r][c])) {
          throw new Error(
            `${label} ${format}: row ${r} ${columns[c].name} is ${JSON.stringify(actual[r][c])}, expected ${JSON.stringify(expected[r][c])}`,
          );
        }
      }
    }
    console.log(
      `${label} ${format}: ${actual.length} rows in ${run.dataKeys.length} file(s), ${columns.length} columns: every cell matches`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), "inv-verify-"));
try {
  // The buckets and configurations of inventory-child.mjs; the objects seeded straight through the engine.
  const seeder = await startInventoryEmulator({ dataDir: dir, port: 0 });
  await createBenchBuckets(seeder);
  seedObjects(seeder.engine, SOURCE, benchObjects(VERSIONS));
  await seeder.close();

  for (const [label, options] of [
    ["one file", {}],
    [`split every ${SPLIT}`, { maxRowsPerFile: SPLIT }],
  ]) {
    const emulator = await startInventoryEmulator({ dataDir: dir, port: 0, ...options });
    try {
      await check(emulator, label);
    } finally {
      await emulator.close();
    }
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
