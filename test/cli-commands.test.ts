// The inv-emulator command as a user runs it (node packages/cli/dist/main.js): help texts against the flags that
// packages/cli/README.md documents, usage errors (exit 2, one line, a stack only with --debug), runtime errors (exit 1).
// The commands' behaviour is in cli-start, cli-demo and cli-seed-run.test.ts.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../packages/cli/dist/main.js", import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the environment of a user's shell: no emulator endpoint set, Node's own warnings off. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: "1", ...env };
  if (!("INV_EMULATOR_ENDPOINT" in env)) delete base.INV_EMULATOR_ENDPOINT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: base, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port that nothing listens on (taken from the OS, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");
const STACK_FRAME = /^\s+at .+/m;

/** One error line on stderr, prefixed with the command name, nothing on stdout, no stack. */
function expectOneLineError(result: Result, code: number, message: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(lines(result.stderr), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(/^inv-emulator: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_FRAME);
}

// packages/cli/README.md's flag table: `-x, --name <value>` per command, plus -h/--help and --debug everywhere.
const EMULATOR = [
  "-p, --port <",
  "--host <",
  "-d, --data-dir <",
  "--in-memory",
  "--profile <",
  "-c, --config <",
  "--schedule <",
];
const CLIENT = ["-e, --endpoint <", "--json"];
const FLAGS: Record<string, string[]> = {
  start: EMULATOR,
  demo: [...EMULATOR, "--keep"],
  seed: [...CLIENT, "-b, --bucket <", "-n, --count <", "--prefix <"],
  run: [...CLIENT, "-b, --bucket <", "-i, --id <", "--at <", "--force"],
  runs: [...CLIENT, "-b, --bucket <", "-i, --id <"],
  status: CLIENT,
};
const COMMANDS = Object.keys(FLAGS);

describe("help", () => {
  it.each([["--help"], ["-h"], ["help"]])(
    "inv-emulator %s lists every command with its summary, exit 0",
    async (flag) => {
      const result = await cli([flag]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      expect(result.stdout).toMatch(/^Usage: inv-emulator <command> \[options\]/);
      for (const name of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S.{10,}$`, "m"));
      expect(result.stdout).toContain('Run "inv-emulator <command> --help"');
    },
  );

  it.each(COMMANDS)("inv-emulator %s --help lists each of its flags with a description", async (name) => {
    const result = await cli([name, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(new RegExp(`^Usage: inv-emulator ${name} \\[options\\]\\n\\n\\S`));
    const options = result.stdout.split("Options:\n")[1] ?? "";
    for (const flag of [...(FLAGS[name] ?? []), "-h, --help", "--debug"]) {
      const line = lines(options).find((l) => l.includes(flag));
      expect(line, `${name}: ${flag}`).toBeDefined();
      // The description follows the flag on its line.
      expect(
        line!
          .slice(line!.indexOf(flag) + flag.length)
          .replace(/^[^>]*>/, "")
          .trim().length,
        line,
      ).toBeGreaterThan(8);
    }
    // No flag beyond the documented ones.
    expect(lines(options)).toHaveLength((FLAGS[name]?.length ?? 0) + 2);
  });

  it("-h works for a command too, and the defaults the README documents are in the help", async () => {
    const start = await cli(["start", "-h"]);
    expect(start.code).toBe(0);
    expect(start.stdout).toContain("default 4599");
    const seed = await cli(["seed", "-h"]);
    expect(seed.stdout).toContain("$INV_EMULATOR_ENDPOINT or http://127.0.0.1:4599");
  });
});

describe("usage errors: exit 2, one line on stderr", () => {
  it("an unknown command names it", async () => {
    const result = await cli(["bogus"]);
    expectOneLineError(result, 2, /unknown command "bogus"/);
    for (const name of COMMANDS) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('"inv-emulator --help"');
    expect(result.stdout).toBe("");
  });

  it.each(COMMANDS)("an unknown flag of %s names the flag and the help to read", async (name) => {
    const result = await cli([name, "--bogus"]);
    expectOneLineError(result, 2, /'--bogus'/);
    expect(result.stderr).toContain(`inv-emulator ${name} --help`);
    expect(result.stdout).toBe("");
  });

  it.each([
    [["start", "extra"], /argument 'extra'/],
    [["start", "--port", "abc"], /--port must be an integer from 0 to 65535, got "abc"/],
    [["start", "--port", "70000"], /--port must be an integer/],
    [["start", "--profile", "gcs"], /--profile must be aws or coreweave, got "gcs"/],
    [["demo", "--schedule", "hourly"], /--schedule must be manual or realtime/],
    [["start", "--in-memory", "--data-dir", "/tmp/x"], /--in-memory and --data-dir exclude each other/],
    [["start", "--port"], /--port/],
    [["seed", "--count", "1.5"], /--count must be an integer from 0 to 10000000/],
    [["seed", "--count=-5"], /--count must be an integer/],
    [["seed", "-n", "-5"], /-n/],
    [["run", "--bucket", "b"], /run needs --bucket and --id/],
    [["run", "--id", "daily"], /run needs --bucket and --id/],
    [["run"], /run needs --bucket and --id/],
    [["status", "--json=yes"], /--json/],
  ])("%j", async (args, message) => {
    expectOneLineError(await cli(args), 2, message);
  });

  it("--debug adds the stack, and keeps the exit code", async () => {
    const flag = await cli(["start", "--bogus", "--debug"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^inv-emulator: .*'--bogus'/);
    expect(flag.stderr).toMatch(STACK_FRAME);
    const command = await cli(["bogus", "--debug"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(STACK_FRAME);
    const value = await cli(["run", "--debug", "--bucket", "b"]);
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/run needs --bucket and --id[\s\S]*\n\s+at /);
  });
});

describe("runtime errors: exit 1, one line", () => {
  it.each([
    ["status", []],
    ["runs", ["--json"]],
    ["seed", ["--count", "3", "--json"]],
    ["run", ["--bucket", "b", "--id", "daily"]],
  ])("%s with no emulator at the endpoint says where it looked and how to start one", async (name, args) => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const result = await cli([name, "--endpoint", endpoint, ...args]);
    expectOneLineError(result, 1, new RegExp(`cannot reach the emulator at ${endpoint} \\(ECONNREFUSED\\)`));
    expect(result.stderr).toContain('"inv-emulator start"');
  });

  it("the endpoint comes from $INV_EMULATOR_ENDPOINT when --endpoint is not given, -e is its short form", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    expectOneLineError(await cli(["status"], { INV_EMULATOR_ENDPOINT: endpoint }), 1, new RegExp(`at ${endpoint} `));
    const other = `http://127.0.0.1:${await closedPort()}`;
    expectOneLineError(
      await cli(["status", "-e", other], { INV_EMULATOR_ENDPOINT: endpoint }),
      1,
      new RegExp(`at ${other} `),
    );
  });

  it("with --debug a runtime error shows its stack", async () => {
    const result = await cli(["status", "--debug", "-e", `http://127.0.0.1:${await closedPort()}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^inv-emulator: CliError: cannot reach the emulator/);
    expect(result.stderr).toMatch(STACK_FRAME);
  });

  it("a port already in use: exit 1, one line naming the address", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      expectOneLineError(
        await cli(["start", "--port", String(port)]),
        1,
        new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${port}`),
      );
    } finally {
      server.close();
    }
  });
});
