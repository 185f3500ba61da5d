import type { IncomingMessage } from "node:http";
import { type ControlRoute, readJsonBody } from "@inv-emulator/s3";
import { InventoryRunError, type InventoryService } from "./inventory-service.js";

const STATUS_OF_RUN_ERROR = { ConfigurationDisabled: 409, InvalidRequest: 400 } as const;

/** Turns refusals to start a run into JSON answers; S3Errors (NoSuchBucket, ...) go to the server's handler. */
async function answer(work: () => Promise<unknown>) {
  try {
    return { status: 200, json: await work() };
  } catch (error) {
    if (error instanceof InventoryRunError)
      return { status: STATUS_OF_RUN_ERROR[error.code], json: { error: error.message, code: error.code } };
    throw error;
  }
}

function requireString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || !value)
    throw new InventoryRunError("InvalidRequest", `"${name}" (a string) is required`);
  return value;
}

async function runBody(req: IncomingMessage) {
  const body = await readJsonBody(req);
  return {
    bucket: requireString(body, "bucket"),
    id: requireString(body, "id"),
    ...(body.at !== undefined ? { at: body.at as string | number } : {}),
    force: body.force === true,
  };
}

/**
 * The trigger outside S3's namespace (bucket names cannot start with `_`):
 * POST /_emulator/inventory/run {bucket, id, at?, force?}, GET /_emulator/inventory/runs?bucket=&id=,
 * POST /_emulator/inventory/advance-clock {to}. They work on an InventoryService, not on the engine, so the
 * engine's plugin and the s3rver plugin mount the same routes. Like every control route they are not S3
 * requests and need no signature.
 */
export const INVENTORY_CONTROL_ROUTES: readonly ControlRoute<InventoryService>[] = [
  {
    method: "POST",
    path: "/_emulator/inventory/run",
    handle: async (service, req) => answer(async () => service.run(await runBody(req))),
  },
  {
    method: "GET",
    path: "/_emulator/inventory/runs",
    handle: async (service, _req, url) =>
      answer(async () => ({
        runs: service.runs({
          ...(url.searchParams.get("bucket") ? { bucket: url.searchParams.get("bucket") as string } : {}),
          ...(url.searchParams.get("id") ? { id: url.searchParams.get("id") as string } : {}),
        }),
      })),
  },
  {
    method: "POST",
    path: "/_emulator/inventory/advance-clock",
    handle: async (service, req) =>
      answer(async () => {
        const body = await readJsonBody(req);
        return { runs: await service.advanceClock(requireString(body, "to")) };
      }),
  },
];
