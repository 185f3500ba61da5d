// `inv-emulator start` spawned as a user runs it: what it prints, that it serves S3, that SIGTERM and SIGINT stop it
// cleanly (exit 0, data kept), and its --profile, --data-dir and --config flags.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, spawnCli } from "./support/cli-process.js";

const running: ChildProcess[] = [];
afterAll(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Starts an emulator through the CLI and waits for its "listening" line. */
async function startCli(args: string[]) {
  const { child, out, done } = spawnCli(args);
  running.push(child);
  const deadline = Date.now() + 30_000;
  const listening = () => /listening on (http:\/\/[\d.]+:\d+) \(profile: (\w+)\)/.exec(out.stdout);
  let match = listening();
  while (!match) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`start did not listen: ${JSON.stringify(out)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    match = listening();
  }
  const endpoint = match[1] as string;
  const stop = async (signal: NodeJS.Signals) => {
    child.kill(signal);
    return done;
  };
  return { endpoint, profile: match[2], out, stop, done };
}

/** Runs a short CLI command to its end. */
async function cli(args: string[]): Promise<CliResult> {
  return spawnCli(args).done;
}

function client(endpoint: string, credentials = { accessKeyId: "test", secretAccessKey: "test" }) {
  return new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials, maxAttempts: 1 });
}

async function refused(endpoint: string): Promise<boolean> {
  return fetch(`${endpoint}/_emulator/health`).then(
    () => false,
    () => true,
  );
}

describe("start --port 0", () => {
  let emulator: Awaited<ReturnType<typeof startCli>>;
  let s3: S3Client;
  beforeAll(async () => {
    emulator = await startCli(["start", "--port", "0"]);
    s3 = client(emulator.endpoint);
  });
  afterAll(() => s3?.destroy());

  it("prints the endpoint, the environment lines to paste and how to stop", () => {
    const { endpoint, out } = emulator;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(endpoint.split(":")[2])).not.toBe(4599);
    expect(emulator.profile).toBe("aws");
    expect(out.stdout).toContain(`export AWS_ENDPOINT_URL=${endpoint}\n`);
    expect(out.stdout).toContain(
      "export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1\n",
    );
    expect(out.stdout).toContain(`aws --endpoint-url ${endpoint} s3 mb s3://my-bucket`);
    expect(out.stdout).toContain(`curl -X POST ${endpoint}/_emulator/inventory/run`);
    expect(out.stdout).toMatch(/Press Ctrl-C to stop\.\n$/);
    expect(out.stderr).toBe("");
  });

  it("serves S3 to the AWS SDK", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "cli-start" }));
    await s3.send(new PutObjectCommand({ Bucket: "cli-start", Key: "a b/ü.txt", Body: "hello from the SDK" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "cli-start", Key: "a b/ü.txt" }));
    expect(await got.Body?.transformToString()).toBe("hello from the SDK");
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toContain("cli-start");
  });

  it("status sees it: ok, profile aws, no runs", async () => {
    const result = await cli(["status", "--endpoint", emulator.endpoint]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${emulator.endpoint}: ok, profile aws, 0 inventory run(s), 0 failed\n`);
  });

  it("SIGTERM stops it: 'stopping' printed, exit 0, the port closed, even with a client still connected", async () => {
    const result = await emulator.stop("SIGTERM");
    expect(result.stdout).toMatch(/\nSIGTERM: stopping\n$/);
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(await refused(emulator.endpoint)).toBe(true);
  });
});

describe("stopping and restarting", () => {
  it("SIGINT (Ctrl-C) stops it with exit 0; `inv-emulator` with flags only is start", async () => {
    const emulator = await startCli(["--port", "0", "--in-memory"]);
    expect(await fetch(`${emulator.endpoint}/_emulator/health`).then((r) => r.status)).toBe(200);
    const result = await emulator.stop("SIGINT");
    expect(result.stdout).toMatch(/\nSIGINT: stopping\n$/);
    expect(result).toMatchObject({ code: 0, signal: null, stderr: "" });
    expect(await refused(emulator.endpoint)).toBe(true);
  });

  it("--data-dir keeps buckets and objects across a SIGTERM and a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "inv-cli-data-"));
    try {
      const first = await startCli(["start", "-p", "0", "-d", dir]);
      const s3 = client(first.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: "kept" }));
      await s3.send(new PutObjectCommand({ Bucket: "kept", Key: "k.txt", Body: "survives" }));
      s3.destroy();
      expect((await first.stop("SIGTERM")).code).toBe(0);

      const second = await startCli(["start", "-p", "0", "-d", dir]);
      const again = client(second.endpoint);
      const got = await again.send(new GetObjectCommand({ Bucket: "kept", Key: "k.txt" }));
      expect(await got.Body?.transformToString()).toBe("survives");
      again.destroy();
      expect((await second.stop("SIGINT")).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("--profile coreweave", () => {
  it("is what status reports, in text and JSON", async () => {
    const emulator = await startCli(["start", "--port", "0", "--profile", "coreweave"]);
    expect(emulator.profile).toBe("coreweave");
    const text = await cli(["status", "-e", emulator.endpoint]);
    expect(text.stdout).toContain("ok, profile coreweave,");
    const json = await cli(["status", "-e", emulator.endpoint, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      endpoint: emulator.endpoint,
      status: "ok",
      profile: "coreweave",
      runs: 0,
      failedRuns: 0,
    });
    expect((await emulator.stop("SIGTERM")).code).toBe(0);
  });
});

describe("--config", () => {
  const dir = mkdtempSync(join(tmpdir(), "inv-cli-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const alice = {
    accessKeyId: "AKIAALICE0000000001",
    secretAccessKey: "alice/Secret+Key",
    arn: "arn:aws:iam::111122223333:user/alice",
  };

  it("identities and strictAuth: the right secret works, a wrong secret or an unknown key gets 403", async () => {
    const config = file("strict.json", JSON.stringify({ identities: [alice], strictAuth: true }));
    const emulator = await startCli(["start", "--port", "0", "-c", config]);
    const good = client(emulator.endpoint, alice);
    await good.send(new CreateBucketCommand({ Bucket: "alices" }));
    await good.send(new PutObjectCommand({ Bucket: "alices", Key: "x", Body: "x" }));
    expect((await good.send(new ListObjectsV2Command({ Bucket: "alices" }))).KeyCount).toBe(1);
    for (const credentials of [
      { ...alice, secretAccessKey: "not-alices-secret" },
      { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" },
    ]) {
      const bad = client(emulator.endpoint, credentials);
      const error = await bad.send(new ListObjectsV2Command({ Bucket: "alices" })).then(
        () => undefined,
        (e: { $metadata?: { httpStatusCode?: number }; name?: string }) => e,
      );
      expect(error?.$metadata?.httpStatusCode, JSON.stringify(credentials)).toBe(403);
      expect(error?.name).toMatch(/SignatureDoesNotMatch|InvalidAccessKeyId|AccessDenied/);
      bad.destroy();
    }
    good.destroy();
    expect((await emulator.stop("SIGTERM")).code).toBe(0);
  });

  it.each([
    ["a missing file", () => join(dir, "missing.json"), /cannot read --config .*missing\.json: ENOENT/],
    ["invalid JSON", () => file("bad.json", "{ identities: [] }"), /cannot read --config .*bad\.json: .*JSON/],
    ["not an object", () => file("null.json", "null"), /must be a JSON object/],
    ["an array", () => file("array.json", "[]"), /must be a JSON object/],
    [
      "an unknown field",
      () => file("field.json", '{"identity": []}'),
      /unknown field\(s\) identity \(known: identities, organizationPolicies, strictAuth\)/,
    ],
    ["identities not a list", () => file("ids.json", '{"identities": 5}'), /identities must be an array/],
    [
      "an identity without its secret",
      () => file("id.json", '{"identities": [{"accessKeyId": "a", "arn": "arn:aws:iam::1:user/a"}]}'),
      /identities must be/,
    ],
    [
      "strictAuth not a boolean",
      () => file("strict-yes.json", '{"strictAuth": "yes"}'),
      /strictAuth must be true or false/,
    ],
  ])("a bad config (%s): exit 2, one line, nothing started", async (_, path, message) => {
    const result = await cli(["start", "--port", "0", "--config", path()]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^inv-emulator: --config|^inv-emulator: cannot read --config/);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stdout).not.toContain("listening");
  });
});
