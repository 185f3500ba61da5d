import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, rmSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobStore } from "./blob-store.js";

/**
 * Blobs as files: written under `tmp/`, renamed into `blobs/xx/` only once complete, so a crash or a
 * broken upload never leaves a visible half-written object (metadata is committed after the rename).
 */
export class FileBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly blobDir: string;

  constructor(dataDir: string) {
    this.tmpDir = join(dataDir, "tmp");
    this.blobDir = join(dataDir, "blobs");
    // Leftovers of uploads interrupted by a crash are never referenced by metadata.
    rmSync(this.tmpDir, { recursive: true, force: true });
    mkdirSync(this.tmpDir, { recursive: true });
    mkdirSync(this.blobDir, { recursive: true });
  }

  private pathOf(blobId: string): string {
    return join(this.blobDir, blobId.slice(0, 2), blobId);
  }

  async write(source: Readable): Promise<{ blobId: string; size: number }> {
    const blobId = randomBytes(16).toString("hex");
    const tmpPath = join(this.tmpDir, blobId);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(tmpPath));
      mkdirSync(join(this.blobDir, blobId.slice(0, 2)), { recursive: true });
      await rename(tmpPath, this.pathOf(blobId));
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
    return { blobId, size };
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(blobId), range);
  }

  async remove(blobId: string): Promise<void> {
    await rm(this.pathOf(blobId), { force: true });
  }

  async close(): Promise<void> {}
}
