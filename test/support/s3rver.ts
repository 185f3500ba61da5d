/**
 * For the s3rver plugin's end-to-end tests (test/s3rver-plugin*.test.ts): s3rver 3.7.1 on 127.0.0.1, a free port and
 * a temporary directory, with the plugin; clients with s3rver's only credentials, the JS SDK configured as the
 * README says.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import type { InventoryService } from "@inv-emulator/inventory";
import { type S3rverInventoryOptions, withInventory } from "@inv-emulator/s3rver-plugin";

/** s3rver accepts only its built-in key pair (lib/models/account.js). */
export const S3RVER_KEYS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** What the tests use of an s3rver instance (s3rver ships no types). */
export interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverServer;

export const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;

export interface RunningS3rver {
  server: S3rverServer & { inventory: InventoryService };
  endpoint: string;
  port: number;
  directory: string;
  /** Stops the server; removes the directory unless `keep`. */
  close(options?: { keep?: boolean }): Promise<void>;
}

/** s3rver with the plugin; `directory` reuses an existing data directory (restarts). */
export async function startS3rver(
  options: S3rverInventoryOptions & { directory?: string } = {},
): Promise<RunningS3rver> {
  const { directory = mkdtempSync(join(tmpdir(), "s3rver-plugin-")), ...inventory } = options;
  const server = withInventory(new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory }), inventory);
  const { port } = await server.run();
  return {
    server,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    async close({ keep = false } = {}) {
      await server.close();
      if (!keep) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The JS SDK as the README configures it for s3rver: path style, checksums only when required. */
export function s3rverClient(endpoint: string, overrides: Record<string, unknown> = {}): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: S3RVER_KEYS,
    requestChecksumCalculation: "WHEN_REQUIRED",
    ...overrides,
  });
}
