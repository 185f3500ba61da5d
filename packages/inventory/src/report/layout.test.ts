// Report key layout (spec/inventory.md §2.1): `{prefix}/{source}/{id}/data/{uuid}.ext`, `…/YYYY-MM-DDTHH-MMZ/manifest.*`
// and `…/hive/dt=YYYY-MM-DD-HH-MM/symlink.txt`, all in UTC, the instant floored to the minute.
import { describe, expect, it } from "vitest";
import type { InventoryConfiguration } from "../configuration/inventory-configuration.js";
import { reportInstant, reportLayout } from "./layout.js";

const configuration = (prefix?: string): InventoryConfiguration => ({
  id: "Inventory",
  isEnabled: true,
  destination: { bucketArn: "arn:aws:s3:::dest", format: "CSV", ...(prefix === undefined ? {} : { prefix }) },
  frequency: "Daily",
  includedObjectVersions: "Current",
});

describe("reportLayout", () => {
  it("the Narrative sample: no prefix, 2025-07-21T01-00Z", () => {
    const layout = reportLayout(configuration(), "prod.ml-meta-upload.getnarrativeapp.com", 1753059600000);
    const base = "prod.ml-meta-upload.getnarrativeapp.com/Inventory";
    expect(layout.dataKey("eb07a5ec-3b32-469f-87ff-6940745b81f0", "csv.gz")).toBe(
      `${base}/data/eb07a5ec-3b32-469f-87ff-6940745b81f0.csv.gz`,
    );
    expect(layout.manifestKey).toBe(`${base}/2025-07-21T01-00Z/manifest.json`);
    expect(layout.checksumKey).toBe(`${base}/2025-07-21T01-00Z/manifest.checksum`);
    expect(layout.symlinkKey).toBe(`${base}/hive/dt=2025-07-21-01-00/symlink.txt`);
  });

  it("a prefix is joined with exactly one slash, with or without trailing slashes", () => {
    for (const prefix of ["inventory-reports", "inventory-reports/", "inventory-reports//"]) {
      const layout = reportLayout(configuration(prefix), "src", Date.UTC(2024, 3, 15, 1, 0));
      expect(layout.manifestKey).toBe("inventory-reports/src/Inventory/2024-04-15T01-00Z/manifest.json");
      expect(layout.dataKey("u", "orc")).toBe("inventory-reports/src/Inventory/data/u.orc");
      expect(layout.symlinkKey).toBe("inventory-reports/src/Inventory/hive/dt=2024-04-15-01-00/symlink.txt");
    }
    expect(reportLayout(configuration("a/b/"), "src", 0).manifestKey).toBe(
      "a/b/src/Inventory/1970-01-01T00-00Z/manifest.json",
    );
    expect(reportLayout(configuration(""), "src", 0).manifestKey).toBe("src/Inventory/1970-01-01T00-00Z/manifest.json");
  });

  it("floors to the minute, pads every field, uses UTC", () => {
    const at = Date.UTC(2024, 0, 2, 3, 4, 59, 999);
    const layout = reportLayout(configuration(), "src", at);
    expect(layout.manifestKey).toBe("src/Inventory/2024-01-02T03-04Z/manifest.json");
    expect(layout.symlinkKey).toBe("src/Inventory/hive/dt=2024-01-02-03-04/symlink.txt");
    const late = reportLayout(configuration(), "src", Date.UTC(2024, 11, 31, 23, 59, 30));
    expect(late.manifestKey).toBe("src/Inventory/2024-12-31T23-59Z/manifest.json");
  });
});

describe("reportInstant", () => {
  it("floors epoch milliseconds to the minute", () => {
    expect(reportInstant(1668560400000 + 59_999)).toBe(1668560400000);
    expect(reportInstant(1668560400000)).toBe(1668560400000);
    expect(reportInstant(1735002000000 + 60_000)).toBe(1735002060000);
  });
});
