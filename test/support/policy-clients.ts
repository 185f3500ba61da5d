/**
 * Clients acting as one configured identity (the policy and strict-auth tests): the AWS CLI v2, boto3 and the JS
 * SDK with that identity's keys, plus assertions on S3 errors as each client reports them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { EmulatorOptions, IdentityConfig, RunningEmulator } from "@inv-emulator/s3";
import { afterAll, beforeAll, expect } from "vitest";
import { awsCli, boto3, type Keys, sdkAs, startTestEmulator } from "./emulator.js";
import { createSdkBucket, expectSdkError } from "./sdk.js";

// Kept importable from here for the files that already do; it lives in sdk.ts with the other SDK helpers.
export { expectSdkError };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export { type Keys, sdkAs };

/** /usr/bin/aws (CLI v2) as `who`; never throws, the exit code says how it went. */
export const cliAs = (endpoint: string, who: Keys, args: string[]): Promise<CliResult> =>
  awsCli(endpoint, args, { allowFailure: true, as: who });

/** The CLI call succeeded (exit 0). */
export function expectCliOk(result: CliResult): void {
  expect(result.code, result.stderr).toBe(0);
}

/** The CLI call failed with this S3 error code, as botocore prints it: `An error occurred (Code) ...`. */
export function expectCliError(result: CliResult, code: string): void {
  expect(result.code, result.stdout).not.toBe(0);
  expect(result.stderr).toMatch(new RegExp(`\\(${code}\\)`));
}

/** Debian boto3 as `who`; the script prints JSON. */
export const boto3As = <T = unknown>(endpoint: string, who: Keys, script: string): Promise<T> =>
  boto3<T>(endpoint, script, who);

export const expectDenied = (promise: Promise<unknown>) => expectSdkError(promise, "AccessDenied", 403);

const policyDir = mkdtempSync(join(tmpdir(), "inv-policy-"));
let policyFiles = 0;

/** Writes a document for the CLI (a policy or configuration: object, or exact text) to a file; returns `file://...`. */
export function policyFile(policy: object | string): string {
  const path = join(policyDir, `policy-${++policyFiles}.json`);
  writeFileSync(path, typeof policy === "string" ? policy : JSON.stringify(policy, null, 2));
  return `file://${path}`;
}

/**
 * The configured users of one emulator, each with its own SDK client and CLI environment, and the calls the policy
 * tests make as them. Keys are paths of objects; `[key, tagging]` also tags the object.
 */
export class Actors<Who extends Keys> {
  private readonly clients = new Map<Who, S3Client>();
  private running: RunningEmulator | undefined;

  constructor(private readonly users: readonly Who[]) {}

  /** Makes each user's SDK client for `emulator`. */
  attach(emulator: RunningEmulator): void {
    this.running = emulator;
    for (const who of this.users) this.clients.set(who, sdkAs(emulator.endpoint, who));
  }

  get emulator(): RunningEmulator {
    if (!this.running) throw new Error("the emulator is started in beforeAll: use it inside tests or hooks");
    return this.running;
  }

  sdk(who: Who): S3Client {
    return this.clients.get(who) as S3Client;
  }

  cli(who: Who, ...args: string[]): Promise<CliResult> {
    return cliAs(this.emulator.endpoint, who, args);
  }

  /** A new bucket of `owner` holding `objects` (body = key), with `policy` put by the owner through the CLI. */
  async bucket(
    owner: Who,
    objects: (string | [string, string])[],
    policy?: (bucket: string) => object,
  ): Promise<string> {
    const bucket = await createSdkBucket(this.sdk(owner), "pol");
    for (const object of objects) {
      const [key, tagging] = typeof object === "string" ? [object, undefined] : object;
      await this.sdk(owner).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key, Tagging: tagging }));
    }
    if (policy) await this.putPolicy(owner, bucket, policy(bucket));
    return bucket;
  }

  async putPolicy(who: Who, bucket: string, policy: object): Promise<void> {
    expectCliOk(await this.cli(who, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policyFile(policy)));
  }

  /** GetObject, resolving with the body. */
  async get(who: Who, bucket: string, key: string): Promise<string | undefined> {
    return (await this.sdk(who).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();
  }

  put(who: Who, bucket: string, key: string, extra: Partial<PutObjectCommandInput> = {}) {
    return this.sdk(who).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x", ...extra }));
  }

  del(who: Who, bucket: string, key: string, versionId?: string) {
    return this.sdk(who).send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  }

  /** ListObjectsV2, resolving with the keys. */
  async list(who: Who, bucket: string, input: Partial<ListObjectsV2CommandInput> = {}): Promise<string[]> {
    const result = await this.sdk(who).send(new ListObjectsV2Command({ Bucket: bucket, ...input }));
    return (result.Contents ?? []).map((o) => o.Key as string);
  }

  cliGet(who: Who, bucket: string, key: string): Promise<CliResult> {
    return this.cli(who, "s3api", "get-object", "--bucket", bucket, "--key", key, "/dev/null");
  }

  cliList(who: Who, bucket: string, ...extra: string[]): Promise<CliResult> {
    return this.cli(who, "s3api", "list-objects-v2", "--bucket", bucket, ...extra);
  }

  /** Destroys the clients and closes the emulator. */
  async close(): Promise<void> {
    for (const client of this.clients.values()) client.destroy();
    await this.running?.close();
  }
}

/**
 * Actors for `users` on an emulator started before the tests of the calling scope (configured with `users` as its
 * identities, plus `options`) and closed after them.
 */
export function useActors<Who extends IdentityConfig>(
  users: readonly Who[],
  options: EmulatorOptions = {},
  start: (options: EmulatorOptions) => Promise<RunningEmulator> = startTestEmulator,
): Actors<Who> {
  const actors = new Actors(users);
  beforeAll(async () => actors.attach(await start({ identities: [...users], ...options })));
  afterAll(() => actors.close());
  return actors;
}
