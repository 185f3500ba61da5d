import type { InventoryConfiguration } from "./configuration/inventory-configuration.js";

/** Reports are produced at 01:00 UTC (every real sample starts then, spec/inventory.md §2.1). */
const RUN_HOUR_UTC = 1;
const DAY_MS = 86_400_000;
const SUNDAY = 0;

/** Scheduled report instants of a configuration in (fromMs, toMs]: daily, or Sundays for Weekly. */
export function dueTimes(configuration: InventoryConfiguration, fromMs: number, toMs: number): number[] {
  const times: number[] = [];
  const firstDay = Math.floor(fromMs / DAY_MS) * DAY_MS;
  for (let day = firstDay; day <= toMs; day += DAY_MS) {
    const at = day + RUN_HOUR_UTC * 3_600_000;
    if (at <= fromMs || at > toMs) continue;
    if (configuration.frequency === "Weekly" && new Date(at).getUTCDay() !== SUNDAY) continue;
    times.push(at);
  }
  return times;
}

/** The next 01:00 UTC after `nowMs`, when a realtime scheduler next wakes up. */
export function nextRunTime(nowMs: number): number {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS + RUN_HOUR_UTC * 3_600_000;
  return today > nowMs ? today : today + DAY_MS;
}
