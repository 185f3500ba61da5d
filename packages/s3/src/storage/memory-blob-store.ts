import { Readable } from "node:stream";
import { type BlobStore, newBlobId } from "./blob-store.js";

/** Blobs in memory, for `--in-memory` runs: nothing touches the disk. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async write(source: Readable): Promise<{ blobId: string; size: number }> {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(chunk as Buffer);
    const blobId = newBlobId();
    const bytes = Buffer.concat(chunks);
    this.blobs.set(blobId, bytes);
    return { blobId, size: bytes.length };
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    const bytes = this.get(blobId);
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
  }

  async remove(blobId: string): Promise<void> {
    this.blobs.delete(blobId);
  }

  async close(): Promise<void> {
    this.blobs.clear();
  }

  private get(blobId: string): Buffer {
    const bytes = this.blobs.get(blobId);
    if (!bytes) throw new Error(`blob ${blobId} is missing`);
    return bytes;
  }
}
