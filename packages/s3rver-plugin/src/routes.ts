import { randomUUID } from "node:crypto";
import {
  deleteConfiguration,
  getConfiguration,
  INVENTORY_CONTROL_ROUTES,
  type InventoryService,
  listConfigurations,
  putConfiguration,
} from "@inv-emulator/inventory";
import {
  answerControl,
  CONTROL_PREFIX,
  DEFAULT_LIMITS,
  MAX_POLICY_BYTES,
  readSmallBody,
  renderError,
  S3Error,
  toS3Error,
} from "@inv-emulator/s3";
import { authenticateAsS3rver } from "./s3rver-authentication.js";
import type { S3rverHost } from "./s3rver-host.js";
import type { KoaContext, KoaMiddleware } from "./s3rver-types.js";

interface Answer {
  status: number;
  /** Absent: no Content-Type header (ListBucketInventoryConfigurations answers without one, as AWS does). */
  contentType?: string;
  body?: string;
}

function send(ctx: KoaContext, answer: Answer): void {
  ctx.status = answer.status;
  if (answer.body === undefined) return;
  // Set as the header itself: Koa's `type` would add a charset the engine does not send.
  if (answer.contentType) ctx.set("Content-Type", answer.contentType);
  ctx.body = answer.body;
  if (!answer.contentType) ctx.remove("Content-Type");
}

function sendError(ctx: KoaContext, error: S3Error): void {
  const requestId = randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase();
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  // An unread body (a refused upload) cannot be skipped on a kept-alive connection.
  if (!ctx.req.complete) ctx.set("Connection", "close");
  send(ctx, {
    status: error.status,
    contentType: "application/xml",
    body: renderError(error, requestId, Buffer.from(requestId).toString("base64")),
  });
}

const readDocument = (ctx: KoaContext, maxBytes = DEFAULT_LIMITS.maxDocumentBytes) =>
  readSmallBody(ctx.req, { maxBytes, idleTimeoutMs: DEFAULT_LIMITS.bodyIdleTimeoutMs });

/** `?inventory` (spec/inventory.md §1.1): GET with `id` is Get, without is List. */
async function inventoryOperation(
  host: S3rverHost,
  ctx: KoaContext,
  bucket: string,
  query: URLSearchParams,
): Promise<Answer> {
  const id = query.get("id");
  switch (ctx.method) {
    case "PUT":
      host.requireBucket(bucket);
      putConfiguration(host, { bucket, id, body: await readDocument(ctx) });
      return { status: 204 };
    case "GET":
      if (query.has("id"))
        return { status: 200, contentType: "application/xml", body: getConfiguration(host, { bucket, id }) };
      return {
        status: 200,
        body: listConfigurations(host, { bucket, continuationToken: query.get("continuation-token") }),
      };
    default:
      deleteConfiguration(host, { bucket, id });
      return { status: 204 };
  }
}

/** `?policy`, as the engine answers it: 204 on put and delete, the document as put on get. */
async function policyOperation(host: S3rverHost, ctx: KoaContext, bucket: string): Promise<Answer> {
  host.requireBucket(bucket);
  switch (ctx.method) {
    case "PUT": {
      // Room for whitespace: the 20 KB limit applies to the document without it (checked by parsePolicy).
      const text = (await readDocument(ctx, MAX_POLICY_BYTES * 8)).toString("utf8");
      host.policies.put(bucket, text);
      return { status: 204 };
    }
    case "GET": {
      const policy = host.policies.get(bucket);
      if (policy === undefined) throw new S3Error("NoSuchBucketPolicy", { fields: { BucketName: bucket } });
      return { status: 200, contentType: "application/json", body: policy };
    }
    default:
      host.policies.delete(bucket);
      return { status: 204 };
  }
}

/** The bucket and sub-resource of a bucket-level `?inventory` or `?policy` request that the plugin answers. */
function bucketSubresource(
  ctx: KoaContext,
  query: URLSearchParams,
): { bucket: string; subresource: "inventory" | "policy" } | undefined {
  if (!["PUT", "GET", "DELETE"].includes(ctx.method)) return undefined;
  const match = /^\/([^/]+)\/?$/.exec(ctx.path);
  if (!match) return undefined;
  const inventory = query.has("inventory");
  // Both at once: s3rver answers its "Conflicting query string parameters" error.
  if (inventory === query.has("policy")) return undefined;
  let bucket: string;
  try {
    bucket = decodeURIComponent(match[1] as string);
  } catch {
    return undefined; // not a bucket name: s3rver answers
  }
  return { bucket, subresource: inventory ? "inventory" : "policy" };
}

/**
 * The Koa middleware the plugin puts in front of s3rver's router: bucket-level `?inventory` and `?policy`
 * requests and the `/_emulator/` control routes are answered here, everything else goes on to s3rver.
 * S3 requests are authenticated by s3rver's own function first, and its errors left to s3rver's error handler;
 * the plugin's own errors are S3's XML errors rendered here. Control routes answer JSON and, as the engine's,
 * need no signature: they are not S3 operations.
 */
export function inventoryMiddleware(host: S3rverHost, service: InventoryService): KoaMiddleware {
  return async function inventoryPlugin(ctx, next) {
    const url = new URL(ctx.originalUrl, "http://s3rver");
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      const { status, json } = await answerControl(INVENTORY_CONTROL_ROUTES, service, ctx.req, url);
      // A string, not an object: s3rver turns object bodies into XML.
      send(ctx, { status, contentType: "application/json", body: JSON.stringify(json) });
      return;
    }
    const target = bucketSubresource(ctx, url.searchParams);
    if (!target) return next();
    await authenticateAsS3rver(ctx, target.bucket);
    try {
      const answer =
        target.subresource === "inventory"
          ? await inventoryOperation(host, ctx, target.bucket, url.searchParams)
          : await policyOperation(host, ctx, target.bucket);
      send(ctx, answer);
    } catch (error) {
      sendError(ctx, toS3Error(error));
    }
  };
}
