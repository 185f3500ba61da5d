import type { InventoryConfiguration } from "../configuration/inventory-configuration.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** A report's instant: the scan start, floored to the minute (spec/inventory.md §2.1). */
export function reportInstant(atMs: number): number {
  return Math.floor(atMs / 60_000) * 60_000;
}

/**
 * Where a report's objects go (spec §2.1): `{prefix}/{source}/{id}/data/…`, `…/{YYYY-MM-DDTHH-MMZ}/manifest.*`,
 * `…/hive/dt={YYYY-MM-DD-HH-MM}/symlink.txt`. A destination prefix is joined with exactly one `/`.
 */
export function reportLayout(configuration: InventoryConfiguration, sourceBucket: string, atMs: number) {
  const prefix = (configuration.destination.prefix ?? "").replace(/\/+$/, "");
  const base = [prefix, sourceBucket, configuration.id].filter((part) => part !== "").join("/");
  const at = new Date(reportInstant(atMs));
  const day = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const stamp = `${day}T${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}Z`;
  return {
    dataKey: (fileId: string, extension: string) => `${base}/data/${fileId}.${extension}`,
    manifestKey: `${base}/${stamp}/manifest.json`,
    checksumKey: `${base}/${stamp}/manifest.checksum`,
    symlinkKey: `${base}/hive/dt=${day}-${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}/symlink.txt`,
  };
}
