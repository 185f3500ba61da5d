import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";

/** A fresh blob id, 32 hex digits. randomUUID draws from a pooled entropy buffer; randomBytes(16) costs a
 * CSPRNG call per blob, several microseconds on every PUT. */
export function newBlobId(): string {
  return randomUUID().replace(/-/g, "");
}

/** Where object bytes live. Metadata (SQLite) refers to a blob by id only, never by key, so keys cannot
 * name a path: a key like `../../etc/passwd` is just a string in a row. */
export interface BlobStore {
  /** Consumes `source` completely; the blob becomes readable only if the whole stream succeeded. */
  write(source: Readable): Promise<{ blobId: string; size: number }>;
  /** Streams `[start, end]` inclusive, or the whole blob. */
  read(blobId: string, range?: { start: number; end: number }): Readable;
  remove(blobId: string): Promise<void>;
  close(): Promise<void>;
}
