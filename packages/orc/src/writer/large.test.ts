import { describe, expect, it } from "vitest";
import { encodeOrc, OrcReader, type OrcTimestamp } from "../index.js";

const ROWS = 1_000_000;
const SCHEMA =
  "struct<bucket:string,key:string,version_id:string,is_latest:boolean,size:bigint,last_modified_date:timestamp,storage_class:string>";
const CLASSES = ["STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE"];
const EXTREMES = [2n ** 63n - 1n, -(2n ** 63n), -1, -(2 ** 40), 2 ** 53 - 1];

/** Row i, computed on demand so neither the test nor the writer holds the data set. */
function rowAt(i: number) {
  const h = Math.imul(i, 2654435761) >>> 0;
  return {
    bucket: "bucket",
    key: `data/${String(i >>> 10).padStart(5, "0")}/${h % 97 === 0 ? "ключ-日本-🚀-" : "object-"}${i}`,
    version_id: h % 11 === 0 ? null : h.toString(36),
    is_latest: h % 3 === 0 ? null : (h & 1) === 1,
    size: h % 1000 === 0 ? (EXTREMES[h % EXTREMES.length] as number | bigint) : h % 13 === 0 ? null : h * 1024,
    last_modified_date: {
      seconds: 1_500_000_000 + (h % 300_000_000) - 150_000_000,
      nanos: (h % 7) * 142_857_000 + (h % 10),
    } as OrcTimestamp,
    storage_class: CLASSES[h % CLASSES.length] as string,
  };
}

function* rows() {
  for (let i = 0; i < ROWS; i++) yield rowAt(i);
}

describe("1M rows", () => {
  it("write then read back, every value compared (ZLIB, auto string encodings, default stripes)", () => {
    const bytes = encodeOrc(rows(), { schema: SCHEMA });
    const reader = new OrcReader(bytes);
    expect(reader.numberOfRows).toBe(ROWS);
    let i = 0;
    let mismatches = 0;
    for (const row of reader.rows()) {
      const expected = rowAt(i++);
      const size = typeof expected.size === "bigint" ? expected.size : expected.size;
      const got = row as ReturnType<typeof rowAt>;
      if (
        got.key !== expected.key ||
        got.version_id !== expected.version_id ||
        got.is_latest !== expected.is_latest ||
        got.size !== size ||
        got.last_modified_date.seconds !== expected.last_modified_date.seconds ||
        got.last_modified_date.nanos !== expected.last_modified_date.nanos ||
        got.storage_class !== expected.storage_class ||
        got.bucket !== "bucket"
      ) {
        if (mismatches++ < 3) expect(row).toEqual(expected);
      }
    }
    expect(i).toBe(ROWS);
    expect(mismatches).toBe(0);
    // The dictionary decision: low-cardinality columns get one, near-unique ones do not.
    const encodings = reader.stripeFooter(0).columns.map((c) => c.kind);
    expect(encodings).toEqual([0, 3, 2, 2, 0, 2, 2, 3]);
  }, 60_000);
});
