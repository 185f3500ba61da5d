import { randomBytes } from "node:crypto";
import type { InventoryRun } from "@inv-emulator/inventory";
import { emulatorEndpoint } from "./endpoint.js";

/** The run record the emulator returns (its JSON is @inv-emulator/inventory's InventoryRun, field for field). */
export type RunRecord = InventoryRun;

/**
 * One call to a `/_emulator/...` control route: its status and JSON answer (`{}` when the body is not JSON).
 * Rejects only when the emulator cannot be reached; what an error status means is the caller's to decide.
 */
export async function requestControl<T>(
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T & { error?: string; code?: string } }> {
  const response = await fetch(`${endpoint.replace(/\/+$/, "")}/_emulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => ({}))) as T & { error?: string; code?: string };
  return { status: response.status, json };
}

async function control<T>(method: string, path: string, body: unknown, endpoint: string): Promise<T> {
  const { status, json } = await requestControl<T>(endpoint, method, path, body);
  if (status >= 400) throw new Error(`${method} /_emulator/${path}: ${status} ${json.error ?? ""}`);
  return json;
}

/** Runs an inventory configuration now (or as of `at`) and waits for its report. */
export function runInventory(input: {
  bucket: string;
  id: string;
  at?: string | number | Date;
  force?: boolean;
  endpoint?: string;
}): Promise<RunRecord> {
  const { endpoint = emulatorEndpoint(), at, ...rest } = input;
  return control(
    "POST",
    "inventory/run",
    { ...rest, ...(at !== undefined ? { at: new Date(at).toISOString() } : {}) },
    endpoint,
  );
}

/** Recorded runs, oldest first. */
export async function inventoryRuns(
  filter: { bucket?: string; id?: string; endpoint?: string } = {},
): Promise<RunRecord[]> {
  const { endpoint = emulatorEndpoint(), ...query } = filter;
  const search = new URLSearchParams(query as Record<string, string>).toString();
  return (
    await control<{ runs: RunRecord[] }>("GET", `inventory/runs${search ? `?${search}` : ""}`, undefined, endpoint)
  ).runs;
}

/** Performs every scheduled run due up to `to` (simulated clock). */
export async function advanceClock(to: string | number | Date, endpoint = emulatorEndpoint()): Promise<RunRecord[]> {
  return (
    await control<{ runs: RunRecord[] }>(
      "POST",
      "inventory/advance-clock",
      { to: new Date(to).toISOString() },
      endpoint,
    )
  ).runs;
}

/** Prefixes bucket names must not start with (AWS and CoreWeave rules). */
const RESERVED_PREFIX = /^(xn--|sthree-|amzn-s3-demo-|cw-|vip-|log-stitcher-ch-)/;

/** A fresh, valid bucket name (for both profiles), so tests sharing one emulator never collide. */
export function freshBucketName(label = "test"): string {
  // A name must start with a letter or digit: leading hyphens (from `_`, `.`, ...) go, an empty label becomes "test".
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .replace(/^-+/, "")
      .slice(0, 40) || "test";
  return `${RESERVED_PREFIX.test(base) ? "t-" : ""}${base}-${randomBytes(6).toString("hex")}`;
}
