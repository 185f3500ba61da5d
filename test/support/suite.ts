/**
 * Set-up every test file repeats, as hooks: an emulator with an SDK client (and optionally one bucket) started before
 * the tests of the file or describe block that calls it and closed after them, and scratch directories removed after.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { EmulatorOptions, RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll } from "vitest";
import { type Keys, sdkAs, sdkClient, startTestEmulator } from "./emulator.js";
import { createSdkBucket } from "./sdk.js";

/** What the hooks set up; reading a field before `beforeAll` has run throws. */
export interface EmulatorSuite<E extends RunningEmulator = RunningEmulator> {
  readonly emulator: E;
  /** `emulator.endpoint` and `emulator.port`, for the CLI, boto3 and raw requests. */
  readonly endpoint: string;
  readonly port: number;
  /** The SDK client (path-style; dummy keys unless `credentials` were given) for `emulator`. */
  readonly s3: S3Client;
  /** The bucket created when `bucket` was given. */
  readonly bucket: string;
}

export interface SuiteOptions<E extends RunningEmulator> {
  /** Starts the emulator; default `startTestEmulator(options)` (in memory, on a free port). */
  start?: () => Promise<E>;
  options?: EmulatorOptions;
  /** Keys the SDK client signs with (strict auth); default the dummy ones. */
  credentials?: Keys;
  /** Label of a bucket to create before the tests (`label-<random>`). */
  bucket?: string;
}

/** Registers beforeAll/afterAll in the calling scope; the returned object's fields are valid in tests and hooks. */
export function useEmulator<E extends RunningEmulator = RunningEmulator>(
  setup: SuiteOptions<E> = {},
): EmulatorSuite<E> {
  let emulator: E | undefined;
  let s3: S3Client | undefined;
  let bucket: string | undefined;
  beforeAll(async () => {
    emulator = await (setup.start ? setup.start() : (startTestEmulator(setup.options) as Promise<E>));
    s3 = setup.credentials ? sdkAs(emulator.endpoint, setup.credentials) : sdkClient(emulator.endpoint);
    if (setup.bucket !== undefined) bucket = await createSdkBucket(s3, setup.bucket);
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in beforeAll: use it inside tests or hooks`);
    return value;
  };
  return {
    get emulator() {
      return ready(emulator, "emulator");
    },
    get endpoint() {
      return ready(emulator, "emulator").endpoint;
    },
    get port() {
      return ready(emulator, "emulator").port;
    },
    get s3() {
      return ready(s3, "s3");
    },
    get bucket() {
      return ready(bucket, "bucket");
    },
  };
}

/** A scratch directory, created now and removed (with its contents) after the tests of the calling scope. */
export interface TempDir {
  readonly path: string;
  /** Writes `content` to `name` in the directory; returns the file's path. */
  file(name: string, content: string | Buffer): string;
}

export function useTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    file(name, content) {
      const target = join(path, name);
      writeFileSync(target, content);
      return target;
    },
  };
}
