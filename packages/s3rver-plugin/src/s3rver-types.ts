import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";

/**
 * The parts of s3rver 3.7 (a Koa 2 application, `lib/s3rver.js`) and of its `FilesystemStore`
 * (`lib/stores/filesystem.js`) that the plugin uses, typed structurally: s3rver ships no types, and
 * @types/s3rver does not declare these members.
 */

/** The Koa context members the plugin reads and writes. */
export interface KoaContext {
  req: IncomingMessage;
  method: string;
  /** The path after s3rver's vhost middleware (virtual-host requests are rewritten to `/bucket/...`). */
  path: string;
  /** The request URL as received. */
  originalUrl: string;
  status: number;
  body: unknown;
  /** Route parameters: set by s3rver's router, so absent in front of it (the plugin sets `bucket` for s3rver's
   * authentication, which reads it). */
  params?: Record<string, string>;
  set(field: string, value: string): void;
  remove(field: string): void;
}

export type KoaMiddleware = ((ctx: KoaContext, next: () => Promise<unknown>) => unknown) & { router?: unknown };

/** An object as the store lists it: `metadata` holds `etag` (quoted MD5), `last-modified` (HTTP date), `content-length`. */
export interface StoredObject {
  key: string;
  metadata: Record<string, string | number | undefined>;
}

export interface S3rverStore {
  /** `<directory>/<bucket>`: a bucket is a directory there (what `getBucket` and `listBuckets` stat). */
  getBucketPath(bucket: string): string;
  rootDirectory: string;
  /** `<directory>/<bucket>/<key parts>._S3rver_<resource>`; with no key, a bucket-level file. */
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getBucket(bucket: string): Promise<{ name: string } | null>;
  /** Without maxKeys, every object under the prefix, with metadata (not in key order). */
  listObjects(bucket: string, options: { prefix?: string }): Promise<{ objects: StoredObject[] }>;
  putObject(object: {
    bucket: string;
    key: string;
    content: Readable;
    metadata: Record<string, string>;
  }): Promise<{ size: number; md5: string }>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

/** An s3rver instance before `run()`: Koa's middleware list (composed when the server starts) and the store. */
export interface S3rverApp {
  middleware: KoaMiddleware[];
  store: S3rverStore;
  /** Set by `run()`. */
  httpServer?: unknown;
}
