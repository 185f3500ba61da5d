import { randomBytes } from "node:crypto";
import { emulatorEndpoint } from "./endpoint.js";

/** The run record the emulator returns (see @inv-emulator/inventory's InventoryRun). */
export interface RunRecord {
  runId: string;
  bucket: string;
  id: string;
  status: "succeeded" | "failed";
  reason?: string;
  manifestKey?: string;
  dataKeys: string[];
  rowCount: number;
  bytes: number;
  /** What the run could not do as Amazon S3 would on this server: empty on inv-emulator. */
  warnings: string[];
  [field: string]: unknown;
}

async function control<T>(method: string, path: string, body: unknown, endpoint: string): Promise<T> {
  const response = await fetch(`${endpoint}/_emulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`${method} /_emulator/${path}: ${response.status} ${json.error ?? ""}`);
  return json;
}

/** Runs an inventory configuration now (or as of `at`) and waits for its report. */
export function runInventory(input: { bucket: string; id: string; at?: string | number | Date; force?: boolean; endpoint?: string }): Promise<RunRecord> {
  const { endpoint = emulatorEndpoint(), at, ...rest } = input;
  return control("POST", "inventory/run", { ...rest, ...(at !== undefined ? { at: new Date(at).toISOString() } : {}) }, endpoint);
}

/** Recorded runs, oldest first. */
export async function inventoryRuns(filter: { bucket?: string; id?: string; endpoint?: string } = {}): Promise<RunRecord[]> {
  const { endpoint = emulatorEndpoint(), ...query } = filter;
  const search = new URLSearchParams(query as Record<string, string>).toString();
  return (await control<{ runs: RunRecord[] }>("GET", `inventory/runs${search ? `?${search}` : ""}`, undefined, endpoint)).runs;
}

/** Performs every scheduled run due up to `to` (simulated clock). */
export async function advanceClock(to: string | number | Date, endpoint = emulatorEndpoint()): Promise<RunRecord[]> {
  return (await control<{ runs: RunRecord[] }>("POST", "inventory/advance-clock", { to: new Date(to).toISOString() }, endpoint)).runs;
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
