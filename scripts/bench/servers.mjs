/** Starting runner.mjs children, talking to them over IPC, and driving them with raw keep-alive HTTP. */
import { fork } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";

const RUNNER = new URL("./runner.mjs", import.meta.url);

async function freePort() {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

/** One HTTP request on `agent`; resolves with the status and the number of body bytes received. */
export function request(agent, port, { method = "GET", path, body, headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: "127.0.0.1", port, method, path, headers }, (res) => {
      let bytes = 0;
      res.on("data", (chunk) => {
        bytes += chunk.length;
      });
      res.on("end", () => resolve({ status: res.statusCode, bytes }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined) req.setHeader("content-length", body.length);
    req.end(body);
  });
}

/** Sends `count` requests built by `make(i)` over `concurrency` kept-alive connections; any non-2xx throws. */
export async function load(port, { count, concurrency, make, check }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await request(agent, port, make(i));
      if (response.status >= 300) throw new Error(`request ${i} (${make(i).path}) answered ${response.status}`);
      check?.(response, i);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

/** Polls `GET /` until it answers 2xx; a refused connection is retried after 2 ms. */
async function waitForHttp(port, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  const agent = new http.Agent({ keepAlive: false });
  for (;;) {
    try {
      const { status } = await request(agent, port, { path: "/" });
      if (status < 300) return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
    }
    await new Promise((done) => setTimeout(done, 2));
  }
}

/**
 * Forks a runner for `kind` and waits for its first successful HTTP response. Returns `startupMs` (spawn to
 * that response), `cpu()` (the child's process.cpuUsage(), in ms), `seed(args)` and `close()`.
 */
export async function startServer(kind, { dir, cannedKeys, profileDir } = {}) {
  const port = await freePort();
  const execArgv = [];
  // s3rver's continuation tokens use DES, which OpenSSL 3 (Node >= 17) only offers with the legacy provider.
  if (kind === "s3rver") execArgv.push("--openssl-legacy-provider");
  if (profileDir)
    execArgv.push("--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`);
  const args = [kind, String(port), dir ?? "", String(cannedKeys ?? 0)];
  const started = performance.now();
  const child = fork(RUNNER, args, { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map();
  let nextId = 0;
  child.on("message", (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${kind} runner: ${message.error}`));
    else waiter.resolve(message.result);
  });
  const exited = once(child, "exit").then(([code]) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${kind} runner exited with ${code}`));
    return code;
  });
  const call = (cmd, callArgs) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args: callArgs });
    });
  await Promise.race([
    waitForHttp(port),
    exited.then((code) => Promise.reject(new Error(`${kind} exited with ${code}`))),
  ]);
  const startupMs = performance.now() - started;
  return {
    kind,
    port,
    startupMs,
    endpoint: `http://127.0.0.1:${port}`,
    async cpu() {
      const { user, system } = await call("cpu");
      return (user + system) / 1000;
    },
    seed: (seedArgs) => call("seed", seedArgs),
    async close() {
      await call("close").catch(() => {});
      await exited;
    },
  };
}
