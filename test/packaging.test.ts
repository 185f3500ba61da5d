// `npx inv-emulator` as a user gets it once the packages are published: `pnpm pack` of the CLI and of every workspace
// package it depends on (pnpm rewrites `workspace:*` to versions, as `pnpm publish` does), `npm install` of those
// tarballs into a fresh npm project, then the bin through npx. Run after `pnpm build` (the tarballs hold dist/).
//
// Network and time: third-party dependencies come from npm's cache (`--prefer-offline`); a fully offline install is
// impossible on a fresh machine because pnpm's store does not fill npm's cache, so the first run downloads them once.
// better-sqlite3's install script (`prebuild-install || node-gyp rebuild`) downloads a prebuilt binary from GitHub,
// and compiles for about 70 s when that fails (as here). The test hands prebuild-install this checkout's binary as
// a "local prebuild" instead: the install script still runs as it does for users, nothing compiles or leaves the
// machine for it. So the project pins better-sqlite3 (npm `overrides`) to the version this checkout built, which is
// within the range @inv-emulator/s3 declares.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli } from "./support/emulator.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_PACKAGE = "inv-emulator";

interface Manifest {
  name: string;
  version: string;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
}

/** Every workspace package by name, with its folder. */
function workspacePackages(): Map<string, { dir: string; manifest: Manifest }> {
  const packages = new Map<string, { dir: string; manifest: Manifest }>();
  for (const name of readdirSync(join(ROOT, "packages"))) {
    const dir = join(ROOT, "packages", name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
    packages.set(manifest.name, { dir, manifest });
  }
  return packages;
}

/** The CLI and the workspace packages it needs, transitively: what publishing must include. */
function packagesToPack(): { dir: string; manifest: Manifest }[] {
  const all = workspacePackages();
  const needed = new Map<string, { dir: string; manifest: Manifest }>();
  const visit = (name: string) => {
    const found = all.get(name);
    if (!found || needed.has(name)) return;
    needed.set(name, found);
    for (const [dependency, range] of Object.entries(found.manifest.dependencies ?? {})) {
      if (range.startsWith("workspace:")) visit(dependency);
    }
  };
  visit(CLI_PACKAGE);
  return [...needed.values()];
}

/** npm as a user's shell runs it: none of the npm_* variables pnpm or npm set for this test run's own script. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|VITEST|INV_EMULATOR_|NODE_OPTIONS$)/i.test(name)) env[name] = value;
  }
  return { ...env, NODE_NO_WARNINGS: "1", ...extra };
}

/** This checkout's better-sqlite3 (built by `pnpm install`), as prebuild-install names a downloaded binary. */
function localPrebuild(into: string): Promise<{ version: string; file: string }> {
  const pnpmDir = join(ROOT, "node_modules", ".pnpm");
  const entry = readdirSync(pnpmDir).find((name) => /^better-sqlite3@\d/.test(name));
  if (!entry) throw new Error("no better-sqlite3 in node_modules/.pnpm: run pnpm install");
  const source = join(pnpmDir, entry, "node_modules", "better-sqlite3");
  const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as Manifest;
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const file = join(into, name);
  return run("tar", ["-czf", file, "-C", source, "build/Release/better_sqlite3.node"]).then(() => ({ version, file }));
}

/** Spawns `npx inv-emulator ...args` in the project. */
function npx(cwd: string, args: string[]) {
  // yes=false: were the local bin missing, npx would fail rather than fetch a same-named package from the registry.
  // detached: its own process group, so the test can signal npx, sh and node together as a terminal's Ctrl-C does.
  const env = userEnv({ npm_config_yes: "false" });
  const child = spawn("npx", [CLI_PACKAGE, ...args], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out.stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    out.stderr += chunk;
  });
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out, done };
}

/** `npx inv-emulator <args> --port <a free one>`, once it listens. */
async function npxStart(args: string[]) {
  const port = await freePort();
  const started = npx(project, [...args, "--port", String(port)]);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!started.out.stdout.includes(`listening on ${endpoint}`)) {
    if (started.child.exitCode !== null || Date.now() > deadline) {
      killGroup(started.child.pid as number);
      throw new Error(`start failed: ${JSON.stringify(started.out)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { ...started, endpoint };
}

/** A port nothing listens on right now (the emulator is given a number, as a user would). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** SIGKILL to a process group that may already be gone. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: every process of the group has exited.
  }
}

let work: string;
let project: string;
const tarballs = new Map<string, string>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "inv-emulator-packaging-"));
  project = join(work, "project");
  const packed = join(work, "tarballs");
  mkdirSync(project);
  mkdirSync(packed);
  await Promise.all(
    packagesToPack().map(async ({ dir, manifest }) => {
      const { stdout } = await run("npx", ["-y", "pnpm@9", "pack", "--pack-destination", packed], {
        cwd: dir,
        env: userEnv(),
      });
      tarballs.set(manifest.name, stdout.trim().split("\n").pop() as string);
    }),
  );
  const prebuild = await localPrebuild(packed);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "npx-user",
      version: "1.0.0",
      private: true,
      overrides: { "better-sqlite3": prebuild.version },
    }),
  );
  // All tarballs in one install, so each @inv-emulator/* dependency resolves to its tarball, not to the registry.
  const install = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs.values()];
  await run("npm", install, {
    cwd: project,
    env: userEnv({ npm_config_better_sqlite3_local_prebuilds: packed }),
    maxBuffer: 16 << 20,
  });
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it("declare versions, not workspace: ranges, and ship dist and a README", async () => {
    for (const [name, tarball] of tarballs) {
      const { stdout: listing } = await run("tar", ["-tzf", tarball]);
      const manifest = JSON.parse((await run("tar", ["-xzOf", tarball, "package/package.json"])).stdout) as Manifest;
      expect(JSON.stringify(manifest.dependencies ?? {}), name).not.toContain("workspace:");
      expect(listing, name).toContain("package/dist/index.js");
      expect(listing, name).toContain("package/README.md");
      expect(listing, `${name} ships no tests`).not.toMatch(/\.test\.(ts|js)\n/);
    }
  });

  it("import only what they declare (npm's flat node_modules would hide a missing dependency)", () => {
    for (const name of tarballs.keys()) {
      const dir = join(project, "node_modules", name);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
      const declared = new Set(Object.keys(manifest.dependencies ?? {}));
      const imported = new Set<string>();
      const scan = (folder: string) => {
        for (const entry of readdirSync(folder, { withFileTypes: true })) {
          const path = join(folder, entry.name);
          if (entry.isDirectory()) scan(path);
          else if (entry.name.endsWith(".js")) {
            for (const [, specifier] of readFileSync(path, "utf8").matchAll(/(?:from|import\()\s*"([^".][^"]*)"/g)) {
              if (!specifier?.startsWith("node:"))
                imported.add(/^(@[^/]+\/[^/]+|[^/]+)/.exec(specifier as string)?.[1] as string);
            }
          }
        }
      };
      scan(join(dir, "dist"));
      expect(
        [...imported].filter((dependency) => !declared.has(dependency)),
        name,
      ).toEqual([]);
    }
  });

  it("installed better-sqlite3 from the local prebuild, without compiling", () => {
    const addon = join(project, "node_modules", "better-sqlite3", "build", "Release");
    expect(existsSync(join(addon, "better_sqlite3.node"))).toBe(true);
    expect(existsSync(join(addon, "obj.target")), "node-gyp ran: the prebuild was not found").toBe(false);
  });
});

describe("npx inv-emulator", () => {
  it("--help lists the commands, exit 0", async () => {
    const help = npx(project, ["--help"]);
    expect(await help.done, help.out.stderr).toBe(0);
    for (const command of ["start", "demo", "seed", "run", "runs", "status"]) {
      expect(help.out.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("start --in-memory --port <port> serves the AWS CLI and stops on Ctrl-C", { timeout: 60_000 }, async () => {
    const started = await npxStart(["start", "--in-memory"]);
    try {
      await awsCli(started.endpoint, ["s3", "mb", "s3://packed-bucket"]);
      const listing = await awsCli(started.endpoint, ["s3", "ls"]);
      expect(listing.stdout).toContain("packed-bucket");
      // Ctrl-C: the terminal signals the whole foreground group, npx, sh and node.
      process.kill(-(started.child.pid as number), "SIGINT");
      await started.done;
      expect(started.out.stdout).toContain("SIGINT: stopping");
      await expect(fetch(`${started.endpoint}/_emulator/health`)).rejects.toThrow();
    } finally {
      killGroup(started.child.pid as number);
    }
  });

  it("a SIGTERM to npx alone stops the emulator too (npm's sh -c does not pass it on)", {
    timeout: 60_000,
  }, async () => {
    const started = await npxStart(["start", "--in-memory"]);
    try {
      process.kill(started.child.pid as number, "SIGTERM");
      const deadline = Date.now() + 10_000;
      let answering = true;
      while (answering && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answering = await fetch(`${started.endpoint}/_emulator/health`).then(
          () => true,
          () => false,
        );
      }
      expect(answering, "the emulator outlived npx").toBe(false);
    } finally {
      killGroup(started.child.pid as number);
    }
  });

  it("demo fills a bucket, runs one inventory per format and previews the reports", { timeout: 60_000 }, async () => {
    const demo = npx(project, ["demo"]);
    expect(await demo.done, demo.out.stderr).toBe(0);
    for (const format of ["CSV", "ORC", "Parquet"]) {
      expect(demo.out.stdout).toMatch(new RegExp(`^${format} +12 rows +s3://demo-reports/inventory/demo-source/`, "m"));
    }
    expect(demo.out.stdout).toContain("daily-parquet: Parquet");
  });
});
