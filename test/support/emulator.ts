import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "@inv-emulator/s3";

const run = promisify(execFile);

/** Dummy credentials: any key works unless strict auth is configured. */
export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
export const REGION = "us-east-1";

/** The keys a client signs with. */
export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, inMemory: true, ...options });
}

/** The AWS SDK for JS v3 with default settings, except path-style (see spec/clients.md §1.3). */
export function sdkClient(endpoint: string, overrides: Record<string, unknown> = {}): S3Client {
  return new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: CREDENTIALS, ...overrides });
}

/** The SDK client of `sdkClient`, signing as `who`. */
export function sdkAs(endpoint: string, who: Keys): S3Client {
  return sdkClient(endpoint, { credentials: { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey } });
}

/** A fresh, valid bucket name per test. */
export function bucketName(label = "bkt"): string {
  return `${label}-${randomBytes(5).toString("hex")}`;
}

/** Environment for /usr/bin/aws and /usr/bin/python3 (boto3) signing as `keys`: isolated from the user's config. */
export function awsEnv(endpoint: string, keys: Keys = CREDENTIALS): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
  };
}

/**
 * The Debian AWS CLI v2 (the `aws` on PATH may be a pyenv v1), signing as `options.as` (default the dummy keys).
 * Resolves with the exit code and output; a failure rejects with stderr unless `allowFailure`.
 */
export async function awsCli(endpoint: string, args: string[], options: { allowFailure?: boolean; as?: Keys } = {}) {
  try {
    // CLI 2.9 predates AWS_ENDPOINT_URL (2.13), so the endpoint goes on the command line too.
    const withEndpoint = args.includes("--endpoint-url") ? args : ["--endpoint-url", endpoint, ...args];
    const { stdout, stderr } = await run("/usr/bin/aws", withEndpoint, {
      env: awsEnv(endpoint, options.as),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    if (!options.allowFailure) throw new Error(`aws ${args.join(" ")} failed (${failure.code}): ${failure.stderr}`);
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/**
 * Runs a Python snippet with Debian's boto3 signing as `as` (default the dummy keys): `s3` is a client for `endpoint`,
 * also in the ENDPOINT variable. Returns the JSON the snippet prints, parsed.
 */
export async function boto3<T = unknown>(endpoint: string, script: string, as: Keys = CREDENTIALS): Promise<T> {
  const prelude = [
    "import boto3, json, os, sys",
    "from botocore.exceptions import ClientError",
    "ENDPOINT = os.environ['AWS_ENDPOINT_URL']",
    "s3 = boto3.client('s3', endpoint_url=ENDPOINT)",
  ].join("\n");
  const { stdout } = await run("/usr/bin/python3", ["-c", `${prelude}\n${script}`], {
    env: awsEnv(endpoint, as),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}
