import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  type WriteStream,
} from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import Database from "better-sqlite3";
import { type BlobStore, newBlobId } from "./blob-store.js";
import { SmallBlobTable } from "./small-blob-table.js";

/** Blobs up to this size live in SQLite (small-blob-table.ts); larger ones are streamed to files. */
const SMALL_BLOB_BYTES = 64 * 1024;
/** Ids of blobs kept in the small-blob table start with this letter (file blob ids are hex). */
const SMALL_ID_PREFIX = "s";

/**
 * Blobs in a data directory: small ones as SQLite rows, large ones as files written under `tmp/` and renamed
 * into `blobs/xx/` only once complete. Either way a crash or a broken upload never leaves a visible
 * half-written object (metadata is committed after the blob).
 */
export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly blobDir: string;
  private readonly small: SmallBlobTable;
  /** Shard directories (`blobs/xx`) known to exist. */
  private readonly shards = new Set<string>();

  constructor(dataDir: string) {
    this.tmpDir = join(dataDir, "tmp");
    this.blobDir = join(dataDir, "blobs");
    // Leftovers of uploads interrupted by a crash are never referenced by metadata.
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true });
    mkdirSync(this.blobDir, { recursive: true });
    this.small = new SmallBlobTable(join(dataDir, "small-blobs.sqlite3"));
  }

  private pathOf(blobId: string): string {
    return join(this.blobDir, blobId.slice(0, 2), blobId);
  }

  async write(source: Readable): Promise<{ blobId: string; size: number }> {
    const fileId = newBlobId();
    const tmpPath = join(this.tmpDir, fileId);
    const buffered: Buffer[] = [];
    let size = 0;
    let file: { stream: WriteStream; done: Promise<void> } | undefined;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (file) {
          if (!file.stream.write(chunk)) await Promise.race([once(file.stream, "drain"), file.done]);
          continue;
        }
        buffered.push(chunk);
        if (size > SMALL_BLOB_BYTES) {
          const stream = createWriteStream(tmpPath);
          file = { stream, done: finished(stream) };
          file.done.catch(() => {}); // awaited below; a failure before that must not go unhandled
          for (const earlier of buffered.splice(0)) stream.write(earlier);
        }
      }
      if (!file) {
        const blobId = `${SMALL_ID_PREFIX}${fileId}`;
        this.small.put(blobId, buffered.length === 1 ? (buffered[0] as Buffer) : Buffer.concat(buffered));
        return { blobId, size };
      }
      file.stream.end();
      await file.done;
      const shard = fileId.slice(0, 2);
      if (!this.shards.has(shard)) {
        mkdirSync(join(this.blobDir, shard), { recursive: true });
        this.shards.add(shard);
      }
      renameSync(tmpPath, this.pathOf(fileId));
    } catch (error) {
      if (file) {
        file.stream.destroy();
        await file.done.catch(() => {});
      }
      await rm(tmpPath, { force: true });
      throw error;
    }
    return { blobId: fileId, size };
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    if (!blobId.startsWith(SMALL_ID_PREFIX)) return createReadStream(this.pathOf(blobId), range);
    const bytes = this.small.get(blobId);
    if (!bytes)
      return new Readable({
        read() {
          this.destroy(new Error(`blob ${blobId} is missing`));
        },
      });
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
  }

  async remove(blobId: string): Promise<void> {
    if (blobId.startsWith(SMALL_ID_PREFIX)) this.small.delete(blobId);
    else await rm(this.pathOf(blobId), { force: true });
  }

  async close(): Promise<void> {
    this.small.close();
  }
}

/** How many blobs a data directory holds (files and small-blob rows), read without opening the store: for tests. */
export function countStoredBlobs(dataDir: string): number {
  const blobDir = join(dataDir, "blobs");
  const files = existsSync(blobDir)
    ? readdirSync(blobDir).reduce((sum, shard) => sum + readdirSync(join(blobDir, shard)).length, 0)
    : 0;
  const table = join(dataDir, "small-blobs.sqlite3");
  if (!existsSync(table)) return files;
  const db = new Database(table, { readonly: true });
  try {
    return files + (db.prepare("SELECT count(*) FROM blobs").pluck().get() as number);
  } finally {
    db.close();
  }
}
