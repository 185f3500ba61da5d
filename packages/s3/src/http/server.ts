import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { authenticate } from "../auth/authenticate.js";
import { DEFAULT_OWNER } from "../auth/identity.js";
import { Engine, type EngineOptions } from "../engine.js";
import { S3Error, toS3Error } from "../errors/s3-error.js";
import { seedObjects, syntheticObjects } from "../internal-api.js";
import { S3_ROUTES } from "../operations/routes.js";
import { renderError } from "../xml/render-error.js";
import { resolveAddress } from "./addressing.js";
import { answerControl, CONTROL_PREFIX, type ControlRoute, readJsonBody } from "./control-route.js";
import { type Route, Router } from "./router.js";
import type { S3Request } from "./s3-request.js";
import type { HeaderValues, S3Response } from "./s3-response.js";

/** What a plugin (inventory, ...) may add to the engine. */
export interface EmulatorPlugin {
  name: string;
  routes?: Route[];
  controlRoutes?: ControlRoute[];
  /** Called once the engine exists, before the server listens (start timers, open resources). */
  attach?(engine: Engine): void;
  close?(): Promise<void> | void;
}

export interface EmulatorOptions extends EngineOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; a container uses 0.0.0.0. */
  host?: string;
  /** Hostnames under which `bucket.<hostname>` is virtual-hosted addressing. Default ["localhost"]. */
  virtualHostnames?: string[];
  plugins?: EmulatorPlugin[];
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: give it to clients as endpoint, with path-style addressing. */
  endpoint: string;
  port: number;
  engine: Engine;
  close(): Promise<void>;
}

/** 16 upper-case hex digits, as S3's. From randomUUID (pooled entropy): randomBytes costs a CSPRNG call per request. */
function newRequestId(): string {
  return randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase();
}

function writeHead(res: ServerResponse, status: number, headers: HeaderValues, requestId: string): void {
  res.statusCode = status;
  res.setHeader("x-amz-request-id", requestId);
  res.setHeader("x-amz-id-2", Buffer.from(requestId).toString("base64"));
  res.setHeader("server", "AmazonS3");
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, String(value));
}

function sendResponse(req: IncomingMessage, res: ServerResponse, response: S3Response, requestId: string): void {
  const { body } = response;
  const headers = { ...response.headers };
  if (typeof body === "string" || Buffer.isBuffer(body)) headers["content-length"] ??= Buffer.byteLength(body);
  writeHead(res, response.status, headers, requestId);
  if (req.method === "HEAD" || body === undefined) {
    if (body instanceof Readable) body.destroy();
    res.end();
  } else if (body instanceof Readable) {
    body.on("error", () => res.destroy());
    body.pipe(res);
  } else {
    res.end(body);
  }
}

function sendError(req: IncomingMessage, res: ServerResponse, error: S3Error, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: HeaderValues = { ...error.headers };
  // An unread body (refused upload, stalled client) cannot be skipped on a kept-alive connection.
  const closeAfter = !req.complete;
  if (closeAfter) headers.connection = "close";
  const body =
    req.method === "HEAD" || error.status === 304
      ? undefined
      : renderError(error, requestId, Buffer.from(requestId).toString("base64"));
  if (body) headers["content-type"] = "application/xml";
  sendResponse(req, res, { status: error.status, headers, ...(body ? { body } : {}) }, requestId);
  if (closeAfter) res.on("finish", () => req.socket.destroy());
}

async function handleControl(
  engine: Engine,
  routes: ControlRoute[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { status, json } = await answerControl(routes, engine, req, new URL(req.url ?? "/", "http://emulator"));
  const body = JSON.stringify(json);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * POST /_emulator/seed {bucket, count, start?, prefix?, createBucket?}: bulk seeding of synthetic objects
 * (see syntheticObjects), for `inv-emulator seed` and large-bucket tests; call it in chunks for progress.
 */
const SEED_ROUTE: ControlRoute = {
  method: "POST",
  path: "/_emulator/seed",
  async handle(engine, req) {
    const body = await readJsonBody(req);
    const bucket = String(body.bucket ?? "");
    const count = Number(body.count);
    const start = Number(body.start ?? 0);
    if (
      !bucket ||
      !Number.isInteger(count) ||
      count < 0 ||
      count > 1_000_000 ||
      !Number.isInteger(start) ||
      start < 0
    ) {
      throw new S3Error("InvalidArgument", {
        message: "seed needs a bucket, an integer count (0 to 1,000,000) and an optional integer start",
      });
    }
    if (body.createBucket === true && !engine.metadata.getBucket(bucket)) {
      engine.validateBucketName(bucket);
      engine.metadata.createBucket(bucket, engine.region, DEFAULT_OWNER, engine.now());
    }
    const prefix = typeof body.prefix === "string" ? body.prefix : "";
    return {
      status: 200,
      json: { bucket, seeded: seedObjects(engine, bucket, syntheticObjects({ count, start, prefix })) },
    };
  },
};

/** Starts an S3 server in this process. Resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const engine = new Engine(options);
  const router = new Router();
  router.add(...S3_ROUTES);
  const plugins = options.plugins ?? [];
  const controlRoutes: ControlRoute[] = [
    {
      method: "GET",
      path: "/_emulator/health",
      handle: async (e) => ({ status: 200, json: { status: "ok", profile: e.profileName } }),
    },
    SEED_ROUTE,
  ];
  for (const plugin of plugins) {
    plugin.attach?.(engine);
    router.add(...(plugin.routes ?? []));
    controlRoutes.push(...(plugin.controlRoutes ?? []));
  }
  const virtualHostnames = options.virtualHostnames ?? ["localhost"];

  const server: Server = createServer(async (req, res) => {
    const requestId = newRequestId();
    try {
      const rawUrl = req.url ?? "/";
      if (rawUrl.startsWith(CONTROL_PREFIX)) return await handleControl(engine, controlRoutes, req, res);
      const queryStart = rawUrl.indexOf("?");
      const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
      const query = new URLSearchParams(queryStart === -1 ? "" : rawUrl.slice(queryStart + 1));
      const { bucket, key } = resolveAddress(rawPath, req.headers.host, virtualHostnames);
      const request: S3Request = {
        method: req.method ?? "GET",
        bucket,
        key,
        query,
        headers: req.headers,
        raw: req,
        requestId,
        principal: authenticate(engine.identities, req, query, Date.now()),
      };
      const route = router.resolve(request);
      engine.authorizer.authorizeOperation(route.operation, request, route.access);
      const response = await route.handler(engine, request);
      sendResponse(req, res, response, requestId);
    } catch (error) {
      sendError(req, res, toS3Error(error), requestId);
    }
  });
  // Uploads of several GiB may take long; stalls are caught per body by the idle timeout instead.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";

  return {
    endpoint: `http://${host}:${port}`,
    port,
    engine,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      for (const plugin of plugins) await plugin.close?.();
      await engine.close();
    },
  };
}
