// The two example projects (fixtures/vitest-example, fixtures/jest-example) run their own `test` script as a user
// would, from their own folder, against the built packages: they must pass, and fail when one expectation is flipped
// (EXAMPLE_BREAK=1), so a green run means their assertions ran.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Outcome {
  code: number | null;
  output: string;
  ms: number;
}

/** The environment of a fresh shell: nothing of this Vitest run (its worker variables) leaks into the example's runner. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(VITEST|JEST|INV_EMULATOR_|NODE_OPTIONS$|NODE_ENV$|TEST$)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "true", ...extra };
}

/** Runs `command` (default: the project's `test` script) in fixtures/<project>, with its node_modules/.bin on PATH. */
function runProject(project: string, extra: Record<string, string> = {}, command?: string): Promise<Outcome> {
  const cwd = join(ROOT, "fixtures", project);
  const script = command ?? (JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")).scripts.test as string);
  const env = cleanEnv(extra);
  env.PATH = [join(cwd, "node_modules", ".bin"), env.PATH].join(delimiter);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(script, { cwd, env, shell: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

/** The test-count line of each runner: Vitest "Tests  3 passed (3)", Jest "Tests:       3 passed, 3 total". */
function counts(output: string): { passed: number; failed: number } {
  const line = output.split("\n").find((l) => /^\s*Tests:?\s/.test(l)) ?? "";
  return { passed: Number(/(\d+) passed/.exec(line)?.[1] ?? 0), failed: Number(/(\d+) failed/.exec(line)?.[1] ?? 0) };
}

describe.each([
  { project: "vitest-example", runner: /vitest run/, tests: 3 },
  { project: "jest-example", runner: /jest/, tests: 4 },
])("$project", ({ project, runner, tests }) => {
  it("its test script uses the expected runner", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "fixtures", project, "package.json"), "utf8"));
    expect(manifest.scripts.test).toMatch(runner);
    expect(manifest.devDependencies["@inv-emulator/testing"]).toBe("workspace:*");
  });

  it("passes: the global setup starts an emulator, the inventory report is read back", {
    timeout: 120_000,
  }, async () => {
    const { code, output, ms } = await runProject(project);
    console.log(`${project}: ${ms} ms`);
    expect(output).not.toMatch(/did not exit|open handle/i);
    expect(counts(output), output).toEqual({ passed: tests, failed: 0 });
    expect(code, output).toBe(0);
  });

  it("fails when one expectation is flipped (EXAMPLE_BREAK=1)", { timeout: 120_000 }, async () => {
    const { code, output } = await runProject(project, { EXAMPLE_BREAK: "1" });
    expect(code, output).not.toBe(0);
    expect(counts(output), output).toEqual({ passed: tests - 1, failed: 1 });
    expect(output).toMatch(/reads the (CSV|Parquet) report back/);
  });
});

describe("jest-example in parallel workers", () => {
  // Jest runs files in band when it has fast timings cached, so a fresh cache directory and two workers make it
  // start workers: each must inherit $INV_EMULATOR_ENDPOINT from the global setup (packages/testing/README.md).
  it("two test files in two workers both reach the emulator", { timeout: 120_000 }, async () => {
    const cache = mkdtempSync(join(tmpdir(), "jest-example-cache-"));
    try {
      const jest = `node --experimental-vm-modules node_modules/jest/bin/jest.js --maxWorkers=2 --cacheDirectory "${cache}"`;
      const { code, output } = await runProject("jest-example", {}, jest);
      expect(counts(output), output).toEqual({ passed: 4, failed: 0 });
      expect(output).toMatch(/PASS \.\/endpoint\.test\.js/);
      expect(code, output).toBe(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe("jest-example with the setup modules named as README documents them", () => {
  // packages/testing/README.md: `globalSetup: "@inv-emulator/testing/jest-global-setup"`. Jest resolves globalSetup
  // with the conditions require/node/default, so the package exports these entries under "default" too. The
  // project's passing run above is what shows that this works; this pins that its config is the documented one.
  it("jest.config.js names the bare package specifiers", () => {
    const config = readFileSync(join(ROOT, "fixtures", "jest-example", "jest.config.js"), "utf8");
    expect(config).toContain('globalSetup: "@inv-emulator/testing/jest-global-setup"');
    expect(config).toContain('globalTeardown: "@inv-emulator/testing/jest-global-teardown"');
  });
});
