import { INVENTORY_PROFILES, InventoryService, type ScheduleMode } from "@inv-emulator/inventory";
import { PROFILES } from "@inv-emulator/s3";
import { inventoryMiddleware } from "./routes.js";
import { S3rverHost } from "./s3rver-host.js";
import type { S3rverApp } from "./s3rver-types.js";

export interface S3rverInventoryOptions {
  /** `aws` (default) or `coreweave`: formats, optional fields, error codes and the service principal (see @inv-emulator/inventory). */
  profile?: "aws" | "coreweave";
  /** The account that owns s3rver's buckets: `aws:SourceAccount` of report deliveries and the ObjectOwner column.
   * Default: s3rver's own account, 123456789000. */
  accountId?: string;
  /** `manual` (default): nothing runs until asked; `realtime`: Daily at 01:00 UTC, Weekly on Sundays. */
  schedule?: ScheduleMode;
  /** Split data files after this many rows (default: one file per report). */
  maxRowsPerFile?: number;
}

/** s3rver's built-in account (lib/models/account.js, DUMMY_ACCOUNT). */
export const S3RVER_ACCOUNT_ID = "123456789000";

const attached = new WeakSet<object>();

function s3rverApp(value: object): S3rverApp {
  const app = value as Partial<S3rverApp>;
  const isApp =
    Array.isArray(app.middleware) &&
    typeof app.store?.listObjects === "function" &&
    typeof app.store.getResourcePath === "function" &&
    typeof app.store.getBucketPath === "function";
  if (!isApp) throw new TypeError("withInventory needs an s3rver 3.x instance (new S3rver(options))");
  return app as S3rverApp;
}

/**
 * Adds S3 bucket inventory to an s3rver 3.x instance, before its `run()`: inserts one middleware in front of
 * s3rver's router (Koa's middleware list is composed when the server starts) that answers `?inventory` and
 * `?policy` on buckets and the `/_emulator/inventory/` routes, and lets everything else through to s3rver.
 * Returns the same instance, with `inventory`: the run API (`run`, `runs`, `advanceClock`, `on("run")`).
 */
export function withInventory<T extends object>(
  s3rver: T,
  options: S3rverInventoryOptions = {},
): T & { inventory: InventoryService } {
  const app = s3rverApp(s3rver);
  if (attached.has(app)) throw new Error("withInventory was already called on this s3rver instance");
  if (app.httpServer)
    throw new Error("call withInventory before s3rver's run(): its middleware is fixed once it listens");
  const routerAt = app.middleware.findIndex((middleware) => middleware.router !== undefined);
  if (routerAt === -1)
    throw new Error("withInventory: s3rver's router middleware was not found (s3rver 3.x is required)");

  const profileName = options.profile ?? "aws";
  const profile = INVENTORY_PROFILES[profileName];
  if (!profile) throw new TypeError(`unknown profile ${String(profileName)}: use "aws" or "coreweave"`);
  const host = new S3rverHost(
    app.store,
    profile,
    PROFILES[profileName].policyRules,
    options.accountId ?? S3RVER_ACCOUNT_ID,
  );
  const service = new InventoryService(host, {
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.maxRowsPerFile !== undefined ? { maxRowsPerFile: options.maxRowsPerFile } : {}),
  });
  // After s3rver's logger, XML encoder and vhost rewrite; before its router, whose authentication the plugin's
  // S3 routes call themselves (s3rver-authentication.ts).
  app.middleware.splice(routerAt, 0, inventoryMiddleware(host, service));
  attached.add(app);
  Object.defineProperty(s3rver, "inventory", { value: service, enumerable: false });
  return s3rver as T & { inventory: InventoryService };
}
