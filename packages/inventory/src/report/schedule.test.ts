// Schedules (spec/inventory.md §2.1, DESIGN.md): Daily at 01:00 UTC, Weekly on Sundays at 01:00 UTC, due times in
// (from, to]. The code lives in ../schedule.ts; this test sits with the other report tests.
import { describe, expect, it } from "vitest";
import type { InventoryConfiguration } from "../configuration/inventory-configuration.js";
import { dueTimes, nextRunTime } from "../schedule.js";

const config = (frequency: "Daily" | "Weekly"): InventoryConfiguration => ({
  id: "c",
  isEnabled: true,
  destination: { bucketArn: "arn:aws:s3:::d", format: "CSV" },
  frequency,
  includedObjectVersions: "Current",
});
const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString());

describe("dueTimes", () => {
  // 2024-04-10 is a Wednesday; 2024-04-14 and 2024-04-21 are Sundays.
  const from = Date.parse("2024-04-10T12:00:00Z");

  it("Daily: one run per day at 01:00 UTC", () => {
    const times = dueTimes(config("Daily"), from, from + 10 * 86_400_000);
    expect(times).toHaveLength(10);
    expect(iso(times)[0]).toBe("2024-04-11T01:00:00.000Z");
    expect(iso(times)[9]).toBe("2024-04-20T01:00:00.000Z");
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBe(86_400_000);
  });

  it("Weekly: Sundays only", () => {
    expect(iso(dueTimes(config("Weekly"), from, from + 10 * 86_400_000))).toEqual(["2024-04-14T01:00:00.000Z"]);
    expect(iso(dueTimes(config("Weekly"), from, Date.parse("2024-04-21T01:00:00Z")))).toEqual([
      "2024-04-14T01:00:00.000Z",
      "2024-04-21T01:00:00.000Z",
    ]);
    for (const t of dueTimes(config("Weekly"), from, from + 365 * 86_400_000)) expect(new Date(t).getUTCDay()).toBe(0);
    expect(dueTimes(config("Weekly"), from, from + 365 * 86_400_000)).toHaveLength(52);
  });

  it("excludes `from`, includes `to`", () => {
    const one = Date.parse("2024-04-11T01:00:00Z");
    expect(dueTimes(config("Daily"), one, one + 86_400_000)).toEqual([one + 86_400_000]);
    expect(dueTimes(config("Daily"), one - 1, one)).toEqual([one]);
    expect(dueTimes(config("Daily"), one, one + 86_400_000 - 1)).toEqual([]);
    expect(dueTimes(config("Daily"), from, from)).toEqual([]);
  });
});

describe("nextRunTime", () => {
  it("the next 01:00 UTC strictly after now", () => {
    expect(new Date(nextRunTime(Date.parse("2024-04-10T00:59:59Z"))).toISOString()).toBe("2024-04-10T01:00:00.000Z");
    expect(new Date(nextRunTime(Date.parse("2024-04-10T01:00:00Z"))).toISOString()).toBe("2024-04-11T01:00:00.000Z");
    expect(new Date(nextRunTime(Date.parse("2024-04-10T23:00:00Z"))).toISOString()).toBe("2024-04-11T01:00:00.000Z");
  });
});
