/**
 * ORC writer benchmark: 1M inventory-shaped rows written with @inv-emulator/orc (ZLIB, the AWS default) beside
 * the same rows written as gzip CSV (node:zlib, level 6, as a CSV inventory would be), in one run.
 *
 * Each writer runs in its own child process, so peak RSS (process.resourceUsage().maxRSS) is that writer's alone.
 * Rows come from the same lazy generator in both, so neither holds the data set in memory.
 *
 *   npx tsc -b packages/orc && node scripts/bench/orc-writer.mjs
 *   BENCH_ROWS=1000000   rows per file;  BENCH_REPEATS=3   runs per writer (the median is reported)
 *   BENCH_STRIPE_MB=     the writer's stripeMaxBytes in MiB (default: the writer's own default)
 *
 * Targets (the issue): ORC time within 1.5x of the gzip CSV time; ORC peak RSS under 150 MB.
 * Output: the table, then one line of JSON with every figure (the last line of stdout).
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const SCHEMA =
  "struct<bucket:string,key:string,version_id:string,is_latest:boolean,is_delete_marker:boolean,size:bigint,last_modified_date:timestamp,e_tag:string,storage_class:string,is_multipart_uploaded:boolean>";
const CLASSES = ["STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE", "INTELLIGENT_TIERING"];
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

/** Deterministic inventory rows: keys in listing order, ~1 in 50 non-ASCII, random version ids and ETags. */
function* inventoryRows(count) {
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const token = (n, alphabet) => {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    return s;
  };
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < count; i++) {
    const deleted = rand() < 0.02;
    yield {
      bucket: "inventory-bench-bucket",
      key: `data/${String(Math.floor(i / 1000)).padStart(5, "0")}/${i % 50 === 0 ? "résumé-文件" : "object"}-${i}.bin`,
      version_id: rand() < 0.1 ? null : token(32, ALPHABET),
      is_latest: rand() < 0.9,
      is_delete_marker: deleted,
      size: deleted ? null : Math.floor(rand() * rand() * 5e9),
      last_modified_date: new Date(start + Math.floor(rand() * 3e10)),
      e_tag: deleted ? null : token(32, "0123456789abcdef"),
      storage_class: deleted ? null : CLASSES[Math.floor(rand() * CLASSES.length)],
      is_multipart_uploaded: deleted ? null : rand() < 0.2,
    };
  }
}

/** RFC 4180 quoting, as S3 inventory CSV does for every field. */
const csvField = (v) =>
  v === null ? '""' : `"${(v instanceof Date ? v.toISOString() : String(v)).replaceAll('"', '""')}"`;

async function* csvChunks(count) {
  let lines = [];
  for (const row of inventoryRows(count)) {
    lines.push(`${Object.values(row).map(csvField).join(",")}\n`);
    if (lines.length === 1000) {
      yield lines.join("");
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join("");
}

async function child(kind, file) {
  const started = performance.now();
  if (kind === "orc") {
    const { writeOrc } = await import("../../packages/orc/dist/index.js");
    const stripeMaxBytes = process.env.BENCH_STRIPE_MB ? Number(process.env.BENCH_STRIPE_MB) * 1024 * 1024 : undefined;
    await writeOrc(inventoryRows(ROWS), createWriteStream(file), {
      schema: SCHEMA,
      compression: "ZLIB",
      stripeMaxBytes,
    });
  } else {
    await pipeline(Readable.from(csvChunks(ROWS)), createGzip({ level: 6 }), createWriteStream(file));
  }
  const ms = performance.now() - started;
  const result = { ms, bytes: statSync(file).size, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(kind, dir, run) {
  const file = join(dir, `${kind}-${run}.${kind === "orc" ? "orc" : "csv.gz"}`);
  const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", kind, file], {
    encoding: "utf8",
    env: process.env,
  });
  if (out.status !== 0) throw new Error(`${kind} child failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").pop());
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "orc-bench-"));
  try {
    const runs = { orc: [], csv: [] };
    for (let r = 0; r < REPEATS; r++) {
      for (const kind of ["orc", "csv"]) {
        runs[kind].push(runChild(kind, dir, r));
        console.error(`run ${r + 1}/${REPEATS} ${kind}: ${JSON.stringify(runs[kind].at(-1))}`);
      }
    }
    const pick = (kind) => ({
      ms: median(runs[kind].map((x) => x.ms)),
      bytes: runs[kind][0].bytes,
      peakRssMb: Math.max(...runs[kind].map((x) => x.peakRssMb)),
    });
    const orc = pick("orc");
    const csv = pick("csv");
    const ratio = orc.ms / csv.ms;
    const rows = [
      ["rows/s", (ROWS / (orc.ms / 1000)).toFixed(0), (ROWS / (csv.ms / 1000)).toFixed(0), "-", "info"],
      [
        "time (s)",
        (orc.ms / 1000).toFixed(2),
        (csv.ms / 1000).toFixed(2),
        `${ratio.toFixed(2)}x`,
        ratio <= 1.5 ? "PASS (≤ 1.5x)" : "FAIL (> 1.5x)",
      ],
      ["bytes", String(orc.bytes), String(csv.bytes), `${(orc.bytes / csv.bytes).toFixed(2)}x`, "info"],
      [
        "peak RSS (MB)",
        orc.peakRssMb.toFixed(1),
        csv.peakRssMb.toFixed(1),
        `${(orc.peakRssMb / csv.peakRssMb).toFixed(2)}x`,
        orc.peakRssMb < 150 ? "PASS (< 150)" : "FAIL (≥ 150)",
      ],
    ];
    const header = ["metric", "ORC (ZLIB)", "CSV (gzip)", "ORC/CSV", "result"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(`${ROWS} inventory rows, median of ${REPEATS} run(s), Node ${process.version}`);
    console.log([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n"));
    const pass = ratio <= 1.5 && orc.peakRssMb < 150;
    console.log(pass ? "PASS" : "FAIL");
    console.log(JSON.stringify({ rows: ROWS, repeats: REPEATS, orc, csv, ratio, pass }));
    process.exitCode = pass ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4]);
else await main();
