// `inv-emulator seed`, spawned as a user runs it against an emulator that `inv-emulator start` serves: progress lines
// when piped, redrawn frames on a terminal of any width, JSON for scripts, and the objects really in the bucket.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { CLI_BIN, type CliResult, useCliServer } from "./support/cli-process.js";

/** Runs a shell command on a pseudo-terminal (util-linux script), output as the terminal gets it. */
function spawnScript(command: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: "1" };
  const child = spawn("/usr/bin/script", ["-qec", command, "/dev/null"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code) => resolve({ code, signal: null, stdout, stderr: "" })),
  );
  return { child, done };
}

const emulator = useCliServer();
const { cli } = emulator;

async function keyCount(bucket: string, prefix = ""): Promise<number> {
  let count = 0;
  let token: string | undefined;
  do {
    const page = await emulator.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    count += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

describe("seed", () => {
  it("piped output: plain progress lines (at most 11, none over 80 columns, no \\r), then a summary", {
    timeout: 60_000,
  }, async () => {
    const { code, stdout, stderr } = await cli("seed", "--bucket", "seeded-big", "--count", "50001");
    expect(code, stderr).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).not.toContain("\r");
    const lines = stdout.trimEnd().split("\n");
    const summary = lines.pop();
    expect(summary).toMatch(/^Seeded 50,001 objects into s3:\/\/seeded-big in \d+\.\d s\.$/);
    expect(lines.length).toBeGreaterThanOrEqual(3); // 0%, after the first 50,000-object chunk, 100%
    expect(lines.length).toBeLessThanOrEqual(11);
    for (const line of lines) {
      expect(line).toMatch(/^\[[#.]+\] +\d+% [\d,]+\/50,001 objects into s3:\/\/seeded-big$/);
      expect(line.length).toBeLessThanOrEqual(80);
    }
    expect(lines[0]).toContain("  0% 0/50,001");
    expect(lines.at(-1)).toMatch(/^\[#+\] 100% 50,001\/50,001 /);
    expect(await keyCount("seeded-big")).toBe(50_001);
  });

  // A real terminal: util-linux `script` gives the CLI a pty of the width `stty` sets.
  it.skipIf(!existsSync("/usr/bin/script")).each([45, 120])(
    "on a %i-column terminal: frames redrawn with \\r, none wider than the terminal",
    { timeout: 60_000 },
    async (columns) => {
      const bucket = `seeded-tty-${columns}`;
      const command = `stty cols ${columns} rows 20; "${process.execPath}" "${CLI_BIN}" seed -e ${emulator.endpoint} -b ${bucket} -n 60000`;
      const { child, done } = spawnScript(command);
      const { code, stdout } = await done;
      expect(code, stdout).toBe(0);
      expect(child.exitCode).toBe(0);
      const frames = stdout.split(/\r\n|\r|\n/).filter((frame) => frame !== "");
      const summary = frames.pop();
      expect(summary).toMatch(new RegExp(`^Seeded 60,000 objects into s3://${bucket} in `));
      expect(frames.length).toBeGreaterThanOrEqual(3);
      for (const frame of frames) {
        expect(frame.length, frame).toBeLessThanOrEqual(columns);
        expect(frame).toMatch(/%/);
      }
      expect(stdout.match(/\r(?!\n)/g)?.length).toBeGreaterThanOrEqual(3);
      expect(frames.at(-1)).toContain("100% 60,000/60,000");
      // Wide enough for the bar and the whole label only at 120 columns.
      expect(frames.at(-1)?.startsWith("[")).toBe(columns === 120);
    },
  );

  it("--json: one JSON line and no progress; --prefix puts the objects under it; seeding again adds", async () => {
    const first = await cli("seed", "-b", "seeded-small", "-n", "250", "--prefix", "p/", "--json");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trimEnd().split("\n")).toHaveLength(1);
    const answer = JSON.parse(first.stdout);
    expect(answer).toMatchObject({ bucket: "seeded-small", seeded: 250 });
    expect(typeof answer.seconds).toBe("number");
    const again = await cli("seed", "-b", "seeded-small", "-n", "10", "--prefix", "q/", "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ seeded: 10 });
    const page = await emulator.s3.send(new ListObjectsV2Command({ Bucket: "seeded-small", Prefix: "p/" }));
    expect(page.KeyCount).toBe(250);
    expect(await keyCount("seeded-small", "q/")).toBe(10);
    expect(await keyCount("seeded-small")).toBe(260);
  });

  it("defaults: bucket 'seeded', 1000 objects; --count 0 creates an empty bucket", async () => {
    const defaults = await cli("seed", "--json");
    expect(JSON.parse(defaults.stdout)).toMatchObject({ bucket: "seeded", seeded: 1000 });
    expect(await keyCount("seeded")).toBe(1000);
    const empty = await cli("seed", "-b", "seeded-empty", "-n", "0");
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/\nSeeded 0 objects into s3:\/\/seeded-empty in /);
    expect(await keyCount("seeded-empty")).toBe(0);
  });

  it("an invalid bucket name is a runtime error from the emulator: exit 1, one line", async () => {
    const result = await cli("seed", "-b", "Not_A_Bucket", "-n", "1");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^inv-emulator: POST \/_emulator\/seed: 400 /),
    ]);
  });
});
