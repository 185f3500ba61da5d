import { readFileSync } from "node:fs";

/** Test helpers shared by the package's tests: the shared fixtures and the inventory rows they were made from. */

export const FIXTURES = new URL("../../../../shared/fixtures/orc/", import.meta.url).pathname;

export const INVENTORY_SCHEMA = readFileSync(`${FIXTURES}schema.txt`, "utf8").trim();

export interface InventoryRow {
  bucket: string | null;
  key: string | null;
  version_id: string | null;
  is_latest: boolean | null;
  is_delete_marker: boolean | null;
  size: number | null;
  last_modified_date: string | null;
  e_tag: string | null;
  storage_class: string | null;
  is_multipart_uploaded: boolean | null;
}

/** Parses inventory5.tsv / inventory10k.tsv: tab-separated, an empty field is NULL (fixtures README). */
export function readInventoryTsv(name: string): InventoryRow[] {
  const text = readFileSync(`${FIXTURES}${name}`, "utf8");
  const nul = (s: string | undefined) => (s === undefined || s === "" ? null : s);
  const bool = (s: string | undefined) => (s === undefined || s === "" ? null : s === "true");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const f = line.split("\t");
      return {
        bucket: nul(f[0]),
        key: nul(f[1]),
        version_id: nul(f[2]),
        is_latest: bool(f[3]),
        is_delete_marker: bool(f[4]),
        size: f[5] ? Number(f[5]) : null,
        last_modified_date: nul(f[6]),
        e_tag: nul(f[7]),
        storage_class: nul(f[8]),
        is_multipart_uploaded: bool(f[9]),
      };
    });
}

export function contentsLines(base: string): string[] {
  return readFileSync(`${FIXTURES}${base}.contents.jsonl`, "utf8")
    .split("\n")
    .filter((line) => line.length > 0);
}
