/**
 * One server under test, in its own process so that its CPU time can be read apart from the load generator's.
 * Started with child_process.fork by s3-engine.mjs:  node runner.mjs <kind> <port> [dir] [cannedKeys]
 *
 *   ours-memory  startEmulator({ inMemory: true })          ours-disk  startEmulator({ dataDir: dir })
 *   s3rver       s3rver 3.7.1 with its directory store      bare       a bare node:http server (reference floor)
 *   canned       replays pre-built ListObjectsV2 pages of `cannedKeys` keys (the SDK's parsing floor)
 *
 * IPC requests from the parent ({ id, cmd }): "cpu" -> process.cpuUsage(); "seed" -> store keys without HTTP
 * (ours only); "close" -> stop and exit (so that --cpu-prof, when given, writes its profile).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { EMPTY_ETAG, listKey } from "./keys.mjs";

const [kind, portArg, dir, cannedKeys] = process.argv.slice(2);
const port = Number(portArg);
const host = "127.0.0.1";

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(() => new Promise((done) => server.close(() => done()))));
  });
}

/** A server that reads the body and answers 200 with 1 KiB on GET: what node:http alone costs per request. */
function bareServer() {
  const payload = Buffer.alloc(1024, 120);
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method === "GET") res.writeHead(200, { "content-length": payload.length }).end(payload);
      else res.writeHead(200, { "content-length": 0 }).end();
    });
  });
  return listen(server);
}

/** ListObjectsV2 pages of 1,000 keys, rendered once; the continuation token is the page number. */
function cannedServer(count) {
  const date = new Date(Date.UTC(2025, 0, 1)).toISOString();
  const pages = [];
  for (let start = 0; start < count; start += 1000) {
    const end = Math.min(count, start + 1000);
    const last = end === count;
    let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`;
    xml += `<Name>canned</Name><Prefix></Prefix>`;
    if (start > 0) xml += `<ContinuationToken>${pages.length}</ContinuationToken>`;
    if (!last) xml += `<NextContinuationToken>${pages.length + 1}</NextContinuationToken>`;
    xml += `<KeyCount>${end - start}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${!last}</IsTruncated>`;
    for (let i = start; i < end; i++) {
      xml += `<Contents><Key>${listKey(i)}</Key><LastModified>${date}</LastModified><ETag>&quot;${EMPTY_ETAG}&quot;</ETag>`;
      xml += "<Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>";
    }
    pages.push(Buffer.from(`${xml}</ListBucketResult>`));
  }
  const server = createServer((req, res) => {
    const token = new URL(req.url, "http://canned").searchParams.get("continuation-token");
    const page = req.method === "GET" && req.url.startsWith("/canned") ? pages[Number(token ?? 0)] : undefined;
    if (!page) res.writeHead(req.url === "/" ? 200 : 404, { "content-length": 0 }).end();
    else res.writeHead(200, { "content-type": "application/xml", "content-length": page.length }).end(page);
  });
  return listen(server);
}

async function oursServer(options) {
  // BENCH_EMULATOR_MODULE: another build of the package (a file URL), for A/B runs of an engine change.
  const { startEmulator } = await import(process.env.BENCH_EMULATOR_MODULE ?? "@inv-emulator/s3");
  const emulator = await startEmulator({ port, host, ...options });
  /** Empty objects written straight into the metadata store, as an HTTP PUT of zero bytes would leave them. */
  const seed = ({ bucket, from, to }) => {
    const { metadata } = emulator.engine;
    const now = Date.now();
    metadata.transaction(() => {
      for (let i = from; i < to; i++) {
        metadata.putVersion({
          bucket,
          key: listKey(i),
          versionId: "null",
          isDeleteMarker: false,
          size: 0,
          etag: EMPTY_ETAG,
          lastModifiedMs: now,
          storageClass: "STANDARD",
          partsCount: null,
          checksum: null,
          encryption: "AES256",
          kmsKeyId: null,
          ownerId: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a",
          lastAccessMs: now,
          headers: { metadata: {} },
          tags: [],
          blobId: null,
        });
      }
    });
    return to - from;
  };
  return { close: () => emulator.close(), seed };
}

async function s3rverServer() {
  const require = createRequire(import.meta.url);
  const S3rver = require("s3rver");
  const S3Object = require("s3rver/lib/models/object");
  const server = new S3rver({ port, address: host, silent: true, directory: dir });
  await server.run();
  /**
   * Empty objects in s3rver's on-disk layout, written synchronously: the three files its store's putObject
   * writes (bytes, `.md5`, `metadata.json`), at the paths its store computes. Through putObject itself
   * (about ten thread-pool calls per object) 100k keys took 30-70 s here; this takes a few seconds.
   */
  const madeDirs = new Set();
  const metadataJson = JSON.stringify(new S3Object("b", "k", null, {}).metadata, null, 2);
  const seed = ({ bucket, from, to }) => {
    for (let i = from; i < to; i++) {
      const objectPath = server.store.getResourcePath(bucket, listKey(i), "object");
      const parent = dirname(objectPath);
      if (!madeDirs.has(parent)) mkdirSync(parent, { recursive: true });
      madeDirs.add(parent);
      writeFileSync(objectPath, "");
      writeFileSync(server.store.getResourcePath(bucket, listKey(i), "object.md5"), EMPTY_ETAG);
      writeFileSync(server.store.getResourcePath(bucket, listKey(i), "metadata.json"), metadataJson);
    }
    return to - from;
  };
  return { close: () => server.close(), seed };
}

async function start() {
  switch (kind) {
    case "bare":
      return { close: await bareServer() };
    case "canned":
      return { close: await cannedServer(Number(cannedKeys)) };
    case "ours-memory":
      return oursServer({ inMemory: true });
    case "ours-disk":
      return oursServer({ dataDir: dir });
    case "s3rver":
      return s3rverServer();
    default:
      throw new Error(`unknown server kind ${kind}`);
  }
}

const server = await start();
// A parent that dies (a failed bench) must not leave servers behind.
process.on("disconnect", () => process.exit(1));
process.on("message", async ({ id, cmd, args }) => {
  try {
    if (cmd === "cpu") process.send({ id, result: process.cpuUsage() });
    else if (cmd === "seed") process.send({ id, result: await server.seed(args) });
    else if (cmd === "close") {
      await server.close();
      process.send({ id, result: true }, () => process.exit(0));
    } else throw new Error(`unknown command ${cmd}`);
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
