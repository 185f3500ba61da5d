/**
 * The built CLI (`packages/cli/dist/main.js`, so `pnpm build` first) as a child process, for the tests that need a
 * real server process: to kill it with SIGKILL mid-request, or to see what it writes where.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../packages/cli/dist/main.js", import.meta.url));

/**
 * Spawns `inv-emulator start --port 0 --data-dir <dataDir>` in `cwd` and resolves with the child and its port once it
 * listens. If it does not start, it is killed and the promise rejects with its output.
 */
export async function startCliEmulator(dataDir: string, cwd: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, "start", "--port", "0", "--data-dir", dataDir], {
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
