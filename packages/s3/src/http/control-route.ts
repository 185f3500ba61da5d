import type { IncomingMessage } from "node:http";
import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";

/** Where control routes live: outside S3's namespace, since bucket names cannot start with `_`. */
export const CONTROL_PREFIX = "/_emulator/";

export interface ControlAnswer {
  status: number;
  json: unknown;
}

/**
 * A route outside S3's namespace (`/_emulator/...`), answered with JSON. `Context` is what the route works on:
 * the engine for the engine's own routes; a plugin's routes take their own service (the inventory's run
 * routes take an InventoryService), so that a server other than the engine (s3rver) can answer them too.
 */
export interface ControlRoute<Context = Engine> {
  method: string;
  path: string;
  handle(context: Context, request: IncomingMessage, url: URL): Promise<ControlAnswer>;
}

/**
 * Answers a control request with the route of its method and path: 404 without one; an error becomes
 * `{ error, code? }` with the S3Error's status, or 500. Shared by every server that mounts control routes, so
 * they answer alike.
 */
export async function answerControl<Context>(
  routes: readonly ControlRoute<Context>[],
  context: Context,
  request: IncomingMessage,
  url: URL,
): Promise<ControlAnswer> {
  const route = routes.find((candidate) => candidate.path === url.pathname && candidate.method === request.method);
  if (!route) return { status: 404, json: { error: `no control route ${request.method} ${url.pathname}` } };
  try {
    return await route.handle(context, request, url);
  } catch (error) {
    return {
      status: error instanceof S3Error ? error.status : 500,
      json: {
        error: error instanceof Error ? error.message : String(error),
        ...(error instanceof S3Error ? { code: error.code } : {}),
      },
    };
  }
}

/** Reads a control request's JSON body (an empty body is `{}`); malformed JSON is a 400. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new S3Error("MaxMessageLengthExceeded");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {}
  throw new S3Error("InvalidArgument", { message: "The request body must be a JSON object." });
}
