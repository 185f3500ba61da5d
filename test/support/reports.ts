// biome-ignore-all format: kept compact (tables and policies on few lines) to stay under the 300-line limit for test files.
/**
 * Inventory reports end to end, the reading side: reports downloaded and read back with independent readers (DuckDB
 * for CSV/TSV/Parquet, hyparquet, @inv-emulator/orc, JSON.parse) into rows keyed by CSV names. The column table is the
 * spec's (§2.6; DESIGN.md for the newest fields), not the implementation's. Set-up and runs are in inventory-runs.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { S3Client } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { OrcReader } from "@inv-emulator/orc";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { expect } from "vitest";
import { md5Hex } from "./digests.js";
import type { RunRecord } from "./inventory-runs.js";
import { getBytes } from "./sdk.js";

// Kept importable from here for the files that already do.
export {
  awsDestinationPolicy, type ConfigInput, CW_INVENTORY, control, coreweaveDestinationPolicy, putInventory, putPolicy, type RunRecord, runNow,
} from "./inventory-runs.js";

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;
type Kind = "string" | "bigint" | "boolean" | "timestamp";
type Column = [csv: string, name: string, kind: Kind];

/** Every column in canonical order (CoreWeave's LastAccessedDate after StorageClass); types other than string marked. */
const ORDER =
  "Bucket Key VersionId IsLatest:boolean IsDeleteMarker:boolean Size:bigint LastModifiedDate:timestamp ETag StorageClass " +
  "LastAccessedDate:timestamp IsMultipartUploaded:boolean ReplicationStatus EncryptionStatus ObjectLockRetainUntilDate:timestamp " +
  "ObjectLockMode ObjectLockLegalHoldStatus ObjectLockEventHoldStatus ObjectLockEventHoldDuration IntelligentTieringAccessTier " +
  "BucketKeyStatus ChecksumAlgorithm ObjectAccessControlList ObjectOwner LifecycleExpirationDate:timestamp " +
  "IntelligentTieringReferenceDate:timestamp";
/** [CSV name, ORC/Parquet name (ETag -> e_tag), type]. */
export const SPEC_COLUMNS: readonly Column[] = ORDER.split(" ").map((entry) => {
  const [csv = "", kind = "string"] = entry.split(":");
  return [csv, csv.replace(/(?<=.)([A-Z])/g, "_$1").toLowerCase(), kind as Kind];
});
const VERSION_COLUMNS = ["VersionId", "IsLatest", "IsDeleteMarker"];

/** The spec's columns for a configuration, in canonical order. */
export function specColumns(all: boolean, fields: readonly string[] = []): Column[] {
  const chosen = new Set([...fields, "Bucket", "Key", ...(all ? VERSION_COLUMNS : [])]);
  return SPEC_COLUMNS.filter(([csv]) => chosen.has(csv));
}

/** fileSchema as spec §2.6 writes it for each format (Parquet ending as the current doc: `;}`). */
export function specFileSchema(format: string, all: boolean, fields: readonly string[] = []): string {
  const columns = specColumns(all, fields);
  if (format === "ORC") return `struct<${columns.map(([, n, k]) => `${n}:${k}`).join(",")}>`;
  if (format === "Parquet") {
    const field = ([csv, n, k]: (typeof columns)[number]) => {
      const req = csv === "Bucket" || csv === "Key" ? "required" : "optional";
      if (k === "string") return `${req} binary ${n} (UTF8)`;
      if (k === "timestamp") return `${req} int64 ${n} (TIMESTAMP_MILLIS)`;
      return `${req} ${k === "bigint" ? "int64" : "boolean"} ${n}`;
    };
    return `message s3.inventory { ${columns.map(field).join("; ")};}`;
  }
  return columns.map(([csv]) => csv).join(", ");
}

export const EXTENSIONS: Record<string, string> = { CSV: "csv.gz", TSV: "tsv.gz", JSON: "json.gz", ORC: "orc", Parquet: "parquet" };

/** Form-URL encoding per DESIGN.md (independent of the implementation) and form decoding (`unquote_plus`). */
export function formEncode(key: string): string {
  const byte = (b: number) => (/[A-Za-z0-9.\-_*/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`);
  return [...Buffer.from(key, "utf8")].map((b) => (b === 0x20 ? "+" : byte(b))).join("");
}
export const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));

type ManifestText = "sourceBucket" | "destinationBucket" | "version" | "creationTimestamp" | "fileFormat" | "fileSchema";
export type Manifest = Record<ManifestText, string> & { files: { key: string; size: number; MD5checksum: string }[] };

/** A delivered report: manifest.json (text and parsed), manifest.checksum, symlink.txt, data files' bytes. */
export interface Report {
  manifestText: string;
  manifest: Manifest;
  checksum: string;
  symlink: string;
  data: Buffer[];
}

/** Downloads a succeeded run's report and checks its consistency: checksum, files' sizes and MD5s, symlink. */
export async function downloadReport(s3: S3Client, run: RunRecord): Promise<Report> {
  expect(run.status, run.reason).toBe("succeeded");
  const get = async (key: string | undefined) => (await getBytes(s3, run.destinationBucket, key as string)).toString("utf8");
  const [manifestText, checksum, symlink] = await Promise.all([get(run.manifestKey), get(run.checksumKey), get(run.symlinkKey)]);
  const manifest = JSON.parse(manifestText) as Manifest;
  const data = await Promise.all(manifest.files.map((f) => getBytes(s3, run.destinationBucket, f.key)));
  expect(checksum).toBe(`${md5Hex(manifestText)}\n`);
  expect(manifest.files.map((f) => [f.size, f.MD5checksum])).toEqual(data.map((bytes) => [bytes.length, md5Hex(bytes)]));
  expect(symlink).toBe(manifest.files.map((f) => `s3://${run.destinationBucket}/${f.key}\n`).join(""));
  return { manifestText, manifest, checksum, symlink, data };
}

/** A text value (CSV/TSV/JSON) typed; timestamps must be ISO-8601 with milliseconds, CSV/TSV keys form-encoded. */
function fromText([csv, , kind]: Column, text: string | null, delimited: boolean): Value {
  // Delimited text has no null: an empty VersionId is a null version's "" (DuckDB reads a quoted "" as NULL).
  if (text === null || text === "") return csv === "VersionId" && delimited ? "" : null;
  if (csv === "Key" && delimited) {
    check(text === formEncode(formDecode(text)), "CSV/TSV keys are form-encoded canonically", text);
    return formDecode(text);
  }
  check(TEXT_SHAPES[kind].test(text), `a ${kind} as text`, text);
  return PARSE[kind](text);
}
const TEXT_SHAPES: Record<Kind, RegExp> = { string: /^/, bigint: /^\d+$/, boolean: /^(true|false)$/, timestamp: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/ };
/** A cheap assertion for per-value checks (expect() per value is slow on large reports). */
function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) expect.fail(`expected ${what}, got ${JSON.stringify(value)}`);
}
const PARSE: Record<Kind, (text: string) => Value> = { string: String, bigint: Number, boolean: (t) => t === "true", timestamp: Date.parse };

/** A binary value (ORC/Parquet/DuckDB) typed: timestamps as epoch ms, bigints as numbers. */
function fromBinary([, , kind]: Column, value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (kind === "timestamp") {
    if (value instanceof Date) return value.getTime();
    const ts = value as { seconds: number; nanos: number };
    return typeof value === "object" ? ts.seconds * 1000 + Math.floor(ts.nanos / 1e6) : Number(value);
  }
  return kind === "bigint" ? Number(value) : (value as Value);
}

let duck: Promise<DuckDBInstance> | undefined;
async function query(sql: string) {
  duck ??= DuckDBInstance.create();
  const connection = await (await duck).connect();
  try {
    const out = await connection.runAndReadAll(sql);
    return { rows: out.getRowObjectsJS() as Record<string, unknown>[], names: out.columnNames(), types: out.columnTypes().map(String) };
  } finally {
    connection.closeSync();
  }
}

const DUCK_TYPES: Record<Kind, string> = { string: "VARCHAR", bigint: "BIGINT", boolean: "BOOLEAN", timestamp: "TIMESTAMP" };
const byName = (name: string) => SPEC_COLUMNS.find(([csv, n]) => csv === name || n === name) as Column;
const toRow = (columns: Column[], pick: (c: Column) => Value): Row => Object.fromEntries(columns.map((c) => [c[0], pick(c)]));

/** CSV/TSV through DuckDB with the column list from fileSchema, after checking every line's shape. */
async function readDelimited(format: string, columns: Column[], bytes: Buffer, file: string): Promise<Row[]> {
  const text = gunzipSync(bytes).toString("utf8");
  if (text) expect(text.endsWith("\n")).toBe(true);
  const lines = text ? text.slice(0, -1).split("\n") : [];
  const [field, sep] = format === "CSV" ? ['"(?:[^"]|"")*"', ","] : ['[^\\t"]*', "\\t"];
  const shape = new RegExp(`^${field}(?:${sep}${field}){${columns.length - 1}}$`);
  for (const line of lines) check(shape.test(line), `a ${format} line of ${columns.length} fields`, line);
  const spec = columns.map(([csv]) => `'${csv}': 'VARCHAR'`).join(", ");
  const options = format === "CSV" ? "quote='\"', escape='\"'" : "delim='\\t', quote='', escape=''";
  const { rows } = await query(`SELECT * FROM read_csv('${file}', header=false, columns={${spec}}, ${options}, auto_detect=false)`);
  expect(rows).toHaveLength(lines.length);
  return rows.map((r) => toRow(columns, (c) => fromText(c, r[c[0]] as string | null, true)));
}

const PHYSICAL: Record<Kind, [string, string | undefined]> = { string: ["BYTE_ARRAY", "UTF8"], bigint: ["INT64", undefined], boolean: ["BOOLEAN", undefined], timestamp: ["INT64", "TIMESTAMP_MILLIS"] };
/** Parquet through hyparquet and DuckDB, which must agree; codec, root name and DuckDB's types checked. */
async function readParquet(columns: Column[], bytes: Buffer, file: string): Promise<Row[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  const metadata = parquetMetadata(buffer);
  expect(metadata.schema[0]?.name).toBe("s3.inventory");
  const elements = metadata.schema.slice(1).map((e) => [e.name, e.type, e.converted_type, e.repetition_type]);
  expect(elements).toEqual(columns.map(([csv, n, kind]) => [n, ...PHYSICAL[kind], csv === "Bucket" || csv === "Key" ? "REQUIRED" : "OPTIONAL"]));
  const codecs = metadata.row_groups.flatMap((group) => group.columns.map((chunk) => chunk.meta_data?.codec));
  expect(new Set(codecs)).toEqual(new Set(codecs.length ? ["SNAPPY"] : []));
  const viaHyparquet = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
  const viaDuck = await query(`SELECT * FROM read_parquet('${file}')`);
  expect(viaDuck.names).toEqual(columns.map(([, n]) => n));
  expect(viaDuck.types).toEqual(columns.map(([, , kind]) => DUCK_TYPES[kind]));
  const rows = viaHyparquet.map((r) => toRow(columns, (c) => fromBinary(c, r[c[1]])));
  expect(viaDuck.rows.map((r) => toRow(columns, (c) => fromBinary(c, r[c[1]])))).toEqual(rows);
  return rows;
}

/** Reads one data file with the format's independent readers into rows keyed by CSV names, in file order. */
export async function readDataFile(format: string, fileSchema: string, bytes: Buffer): Promise<Row[]> {
  if (format === "ORC") {
    const orc = new OrcReader(bytes);
    expect([orc.schemaString, orc.compression]).toEqual([fileSchema, "ZLIB"]);
    const columns = fileSchema.slice(7, -1).split(",").map((f) => byName(f.split(":")[0] as string));
    return ([...orc.rows()] as Record<string, unknown>[]).map((r) => toRow(columns, (c) => fromBinary(c, r[c[1]])));
  }
  if (format === "JSON") {
    const columns = fileSchema.split(", ").map(byName);
    const lines = gunzipSync(bytes).toString("utf8").split("\n");
    expect(lines.pop()).toBe("");
    return lines.map((line) => {
      const object = JSON.parse(line) as Record<string, string | number | boolean | null>;
      check(Object.keys(object).join(", ") === fileSchema, "the fileSchema names in order", Object.keys(object));
      const raw = (c: Column) => object[c[0]] ?? null;
      return toRow(columns, (c) => (c[2] === "string" || c[2] === "timestamp" ? fromText(c, raw(c) as string | null, false) : raw(c)));
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "inv-report-"));
  try {
    const file = join(dir, `data.${EXTENSIONS[format]}`);
    writeFileSync(file, bytes);
    const parquetColumns = () => [...fileSchema.matchAll(/(?:required|optional) \w+ (\w+)/g)].map((m) => byName(m[1] as string));
    if (format === "Parquet") return await readParquet(parquetColumns(), bytes, file);
    return await readDelimited(format, fileSchema.split(", ").map(byName), bytes, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every row of a report, file by file. */
export function reportRows(report: Report): Promise<Row[][]> {
  return Promise.all(report.data.map((bytes) => readDataFile(report.manifest.fileFormat, report.manifest.fileSchema, bytes)));
}
