/**
 * The built CLI (`packages/cli/dist/main.js`, so `pnpm build` first) as a child process, for the tests that need a
 * real server process: to kill it with SIGKILL mid-request, or to see what it writes where.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll } from "vitest";
import { sdkClient } from "./emulator.js";

export const CLI_BIN = fileURLToPath(new URL("../../packages/cli/dist/main.js", import.meta.url));

/**
 * Spawns `inv-emulator start --port 0 --data-dir <dataDir>` in `cwd` and resolves with the child and its port once it
 * listens. If it does not start, it is killed and the promise rejects with its output.
 */
export async function startCliEmulator(dataDir: string, cwd: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI_BIN, "start", "--port", "0", "--data-dir", dataDir], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  try {
    const port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`CLI did not start: ${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => fail(new Error(`CLI exited (${code}): ${output}`)));
    });
    return { child, port };
  } catch (error) {
    killIfRunning(child);
    throw error;
  }
}

/** SIGKILL, unless the process has already exited. */
export function killIfRunning(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** What a finished CLI run printed, and how it ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell gives the CLI: Node's own warnings off, no endpoint inherited from this run. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: "1" };
  delete env.INV_EMULATOR_ENDPOINT;
  return env;
}

/** Spawns `inv-emulator ...args` as a user would; `out` grows as it prints, `done` resolves when it exits. */
export function spawnCli(args: string[], options: { timeoutMs?: number } = {}) {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out.stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    out.stderr += chunk;
  });
  const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...out });
    }),
  );
  return { child, out, done };
}

/** Starts `inv-emulator start --port 0` and resolves with the child and its endpoint once it listens. */
export async function startCliServer(): Promise<{ child: ChildProcess; endpoint: string }> {
  const started = spawnCli(["start", "--port", "0"]);
  const deadline = Date.now() + 30_000;
  const listening = () => /listening on (http:\S+)/.exec(started.out.stdout)?.[1];
  while (!listening()) {
    if (started.child.exitCode !== null || Date.now() > deadline) {
      killIfRunning(started.child);
      throw new Error(`start failed: ${JSON.stringify(started.out)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child: started.child, endpoint: listening() as string };
}

/**
 * One `inv-emulator start` for a test file: started in beforeAll, stopped with SIGTERM in afterAll. `endpoint` and
 * `s3` (an SDK client for it) are read inside tests; `cli(command, ...args)` runs a command against it to its end.
 */
export function useCliServer() {
  let server: ChildProcess | undefined;
  let endpoint = "";
  let s3: S3Client | undefined;
  beforeAll(async () => {
    ({ child: server, endpoint } = await startCliServer());
    s3 = sdkClient(endpoint);
  });
  afterAll(() => {
    s3?.destroy();
    server?.kill("SIGTERM");
  });
  return {
    get endpoint() {
      return endpoint;
    },
    get s3() {
      if (!s3) throw new Error("useCliServer: the emulator starts in beforeAll");
      return s3;
    },
    cli: (command: string, ...args: string[]) => spawnCli([command, "--endpoint", endpoint, ...args]).done,
  };
}
