/**
 * Clients acting as one configured identity (the policy and strict-auth tests): the AWS CLI v2, boto3 and the JS
 * SDK with that identity's keys, plus assertions on S3 errors as each client reports them.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { IdentityConfig, RunningEmulator } from "@inv-emulator/s3";
import { expect } from "vitest";
import { awsEnv, bucketName, sdkClient } from "./emulator.js";

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Keys = Pick<IdentityConfig, "accessKeyId" | "secretAccessKey">;

function envFor(endpoint: string, who: Keys): NodeJS.ProcessEnv {
  return { ...awsEnv(endpoint), AWS_ACCESS_KEY_ID: who.accessKeyId, AWS_SECRET_ACCESS_KEY: who.secretAccessKey };
}

/** /usr/bin/aws (CLI v2) as `who`; never throws, the exit code says how it went. */
export async function cliAs(endpoint: string, who: Keys, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run("/usr/bin/aws", ["--endpoint-url", endpoint, ...args], {
      env: envFor(endpoint, who),
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

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
export async function boto3As<T = unknown>(endpoint: string, who: Keys, script: string): Promise<T> {
  const prelude = [
    "import boto3, json, sys",
    "from botocore.exceptions import ClientError",
    `s3 = boto3.client('s3', endpoint_url=${JSON.stringify(endpoint)})`,
  ].join("\n");
  const { stdout } = await run("/usr/bin/python3", ["-c", `${prelude}\n${script}`], { env: envFor(endpoint, who) });
  return JSON.parse(stdout) as T;
}

export function sdkAs(endpoint: string, who: Keys): S3Client {
  return sdkClient(endpoint, { credentials: { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey } });
}

/** The SDK call failed with this error name and status; returns the error for further checks. */
export async function expectSdkError(
  promise: Promise<unknown>,
  name: string,
  status: number,
): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected ${name}, got ${String(error)}`);
  expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ name, status });
  return error;
}

export const expectDenied = (promise: Promise<unknown>) => expectSdkError(promise, "AccessDenied", 403);

const policyDir = mkdtempSync(join(tmpdir(), "inv-policy-"));
let policyFiles = 0;

/** Writes a policy document (object or exact text) to a file, for `--policy file://...`. */
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

  constructor(
    readonly emulator: RunningEmulator,
    users: readonly Who[],
  ) {
    for (const who of users) this.clients.set(who, sdkAs(emulator.endpoint, who));
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
    const bucket = bucketName("pol");
    await this.sdk(owner).send(new CreateBucketCommand({ Bucket: bucket }));
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

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
  }
}
