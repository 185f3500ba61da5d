/**
 * One measurement of the inventory bench, in its own process (forked by inventory.mjs), so that
 * process.resourceUsage().maxRSS is that measurement's peak alone. Answers with one IPC message and exits.
 *
 *   node inventory-child.mjs seed  <dataDir> <versions>   buckets, policy, the three configurations, then seedObjects
 *   node inventory-child.mjs run   <dataDir> <configId>    one inventory report (csv / parquet / orc), timed
 *   node inventory-child.mjs serve <dataDir>              the emulator over HTTP until the parent says "close"
 *   node inventory-child.mjs gzip  <dataDir> <dataKey>     gunzips a CSV report, then times gzip levels 1 and 6 of its bytes
 *   node inventory-child.mjs clean <dataDir>              deletes the reports of earlier runs
 *
 * BENCH_INVENTORY_MODULE=file:///…/packages/inventory/dist/index.js benches another build (A/B of a change);
 * @inv-emulator/s3 is then taken from the same tree.
 */
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { gunzipSync, gzipSync } from "node:zlib";
import { benchObjects, DESTINATION, SOURCE } from "./inventory-data.mjs";

const inventoryModule = process.env.BENCH_INVENTORY_MODULE ?? "@inv-emulator/inventory";
const s3Module = process.env.BENCH_INVENTORY_MODULE
  ? new URL("../../s3/dist/index.js", process.env.BENCH_INVENTORY_MODULE).href
  : "@inv-emulator/s3";

/**
 * CPU seconds of the main thread and of the busiest other threads (libuv's thread pool: zlib, fs; V8's helpers:
 * concurrent GC; worker threads), from /proc (Linux only). Threads here are all named "node", and a worker thread
 * is gone by the end of a report, so the threads are sampled while it runs: `stop()` gives the last figures.
 */
function sampleThreadCpu() {
  const seen = new Map();
  const sample = () => {
    let tasks = [];
    try {
      tasks = readdirSync("/proc/self/task");
    } catch {
      return;
    }
    for (const tid of tasks) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        seen.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, USER_HZ = 100
      } catch {} // the thread just ended
    }
  };
  sample();
  const before = new Map(seen);
  const memory = { rss: 0, heapTotal: 0, external: 0 };
  const timer = setInterval(() => {
    sample();
    const usage = process.memoryUsage();
    for (const name of Object.keys(memory)) memory[name] = Math.max(memory[name], Math.round(usage[name] / 2 ** 20));
  }, 100);
  return () => {
    clearInterval(timer);
    sample();
    const spent = (tid) => (seen.get(tid) ?? 0) - (before.get(tid) ?? 0);
    const others = [...seen.keys()]
      .filter((tid) => tid !== process.pid)
      .map(spent)
      .filter((s) => s >= 0.05);
    return { ...(seen.size ? { main: spent(process.pid), others: others.sort((a, b) => b - a) } : {}), peakMB: memory };
  };
}

const send = (message) => new Promise((resolve) => process.send(message, resolve));
const mb = (kb) => kb / 1024;

async function start(dataDir) {
  const { startInventoryEmulator } = await import(inventoryModule);
  return startInventoryEmulator({ dataDir, port: 0, schedule: "manual" });
}

async function seed(dataDir, versions) {
  const { seedObjects } = await import(s3Module);
  const { createBenchBuckets } = await import("./inventory-setup.mjs");
  const emulator = await start(dataDir);
  await createBenchBuckets(emulator);
  // Current objects (what ListObjectsV2 returns): keys whose newest version is not a delete marker.
  let currentObjects = 0;
  let previous;
  function* counted() {
    for (const object of benchObjects(versions)) {
      if (previous && previous.key !== object.key && !previous.deleteMarker) currentObjects++;
      previous = object;
      yield object;
    }
    if (previous && !previous.deleteMarker) currentObjects++;
  }
  const started = performance.now();
  const count = seedObjects(emulator.engine, SOURCE, counted());
  const seedMs = performance.now() - started;
  await emulator.close();
  return { versions: count, currentObjects, seedMs };
}

async function run(dataDir, id) {
  const emulator = await start(dataDir);
  const rssBeforeMB = process.memoryUsage().rss / 1024 / 1024;
  const cpuBefore = process.cpuUsage();
  const stopSampling = sampleThreadCpu();
  const started = performance.now();
  const result = await emulator.inventory.run({ bucket: SOURCE, id });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore); // every thread: main, thread pool, workers, V8's helpers
  const threads = stopSampling();
  if (result.status !== "succeeded") throw new Error(`report ${id} failed: ${result.reason}`);
  const usage = process.resourceUsage();
  await emulator.close();
  return {
    id,
    ms,
    rows: result.rowCount,
    bytes: result.bytes,
    dataKeys: result.dataKeys,
    cpuMs: (cpu.user + cpu.system) / 1000,
    threads,
    rssBeforeMB,
    peakRssMB: mb(usage.maxRSS),
  };
}

async function serve(dataDir) {
  const emulator = await start(dataDir);
  await send({ endpoint: emulator.endpoint });
  await new Promise((resolve) => process.once("message", resolve));
  await emulator.close();
  return undefined;
}

/**
 * Deletes every object of the destination bucket (the reports of earlier runs), through the S3 API: each 1M-version
 * run writes ~200 MB of reports, which would pile up in a kept BENCH_DATA_DIR.
 */
async function clean(dataDir) {
  const { DeleteObjectsCommand, paginateListObjectsV2 } = await import("@aws-sdk/client-s3");
  const { sdkClient } = await import("./listing.mjs");
  const emulator = await start(dataDir);
  const client = sdkClient(emulator.endpoint);
  let deleted = 0;
  try {
    const keys = [];
    for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket: DESTINATION })) {
      for (const object of page.Contents ?? []) keys.push(object.Key);
    }
    for (let i = 0; i < keys.length; i += 1000) {
      const Objects = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      await client.send(new DeleteObjectsCommand({ Bucket: DESTINATION, Delete: { Objects, Quiet: true } }));
      deleted += Objects.length;
    }
  } finally {
    client.destroy();
    await emulator.close();
  }
  return { deleted };
}

/** The CSV report's own bytes, then gzip (level 6, node:zlib, one call on this thread) of them alone. */
async function gzip(dataDir, dataKey) {
  const emulator = await start(dataDir);
  const { engine } = emulator;
  const version = engine.metadata.getVersion(DESTINATION, dataKey);
  const chunks = [];
  for await (const chunk of engine.blobs.read(version.blobId)) chunks.push(chunk);
  await emulator.close();
  const csv = gunzipSync(Buffer.concat(chunks));
  // Level 1 is the reports' own level (encode-off-thread.ts); level 6 is zlib's default, for comparison.
  const levels = {};
  for (const level of [1, 6]) {
    const started = performance.now();
    const compressed = gzipSync(csv, { level });
    levels[level] = { ms: performance.now() - started, gzipBytes: compressed.length };
  }
  return { csvBytes: csv.length, levels };
}

const [mode, dataDir, arg] = process.argv.slice(2);
if (process.send) {
  try {
    let answer;
    if (mode === "seed") answer = await seed(dataDir, Number(arg));
    else if (mode === "run") answer = await run(dataDir, arg);
    else if (mode === "serve") answer = await serve(dataDir);
    else if (mode === "gzip") answer = await gzip(dataDir, arg);
    else if (mode === "clean") answer = await clean(dataDir);
    else throw new Error(`unknown mode ${mode}`);
    if (answer) await send(answer);
  } catch (error) {
    await send({ error: String(error?.stack ?? error) });
    process.exitCode = 1;
  }
  process.disconnect();
}
