import { describe, expect, it } from "vitest";
import { expectedRow, RANDOM_SCHEMA, randomRows } from "../../test/random-rows.js";
import { encodeOrc, OrcReader, readOrc } from "../index.js";
import type { OrcWriterOptions } from "./options.js";

const OPTION_SETS: Omit<OrcWriterOptions, "schema">[] = [
  { compression: "NONE", stringEncoding: "direct" },
  { compression: "ZLIB", stringEncoding: "dictionary" },
  { compression: "ZLIB", stringEncoding: "auto", stripeMaxRows: 997, rowIndexStride: 250, compressionBlockSize: 2048 },
  { compression: "NONE", stringEncoding: "auto", rowIndexStride: 0, stripeMaxBytes: 20_000 },
];

describe("property: random rows survive write -> read", () => {
  for (const [i, options] of OPTION_SETS.entries()) {
    for (const seed of [1, 2, 3]) {
      it(`seed ${seed}, options ${JSON.stringify(options)}`, () => {
        const rows = randomRows(seed * 100 + i, 3000, [0, 0.1, 0.9][seed - 1]);
        const bytes = encodeOrc(rows, { schema: RANDOM_SCHEMA, ...options });
        expect(readOrc(bytes).rows).toEqual(rows.map(expectedRow));
      });
    }
  }

  it("every row group of a multi-group stripe reads the same by seeking as sequentially", () => {
    const rows = randomRows(42, 5000, 0.3);
    for (const compression of ["NONE", "ZLIB"] as const) {
      const bytes = encodeOrc(rows, {
        schema: RANDOM_SCHEMA,
        compression,
        rowIndexStride: 333,
        stripeMaxRows: 2000,
        compressionBlockSize: 1024,
      });
      const reader = new OrcReader(bytes);
      const sequential = [...reader.rows()];
      let row = 0;
      reader.stripes.forEach((stripe, s) => {
        for (let g = 0; g * 333 < stripe.numberOfRows; g++) {
          const group = reader.readRowGroup(s, g);
          expect(group).toEqual(sequential.slice(row, row + group.length));
          row += group.length;
        }
      });
      expect(row).toBe(rows.length);
    }
  });

  it("0 rows: zero stripes, no Metadata, still a valid file (spec/orc.md §3.1)", () => {
    const bytes = encodeOrc([], { schema: RANDOM_SCHEMA });
    const reader = new OrcReader(bytes);
    expect(reader.stripes).toEqual([]);
    expect(reader.postScript.metadataLength).toBe(0);
    expect(reader.footer.contentLength).toBe(3);
    expect(reader.numberOfRows).toBe(0);
    expect([...reader.rows()]).toEqual([]);
  });

  it("1 row, and 1 row of nulls", () => {
    for (const rows of [randomRows(7, 1, 0), randomRows(7, 1, 1)]) {
      expect(readOrc(encodeOrc(rows, { schema: RANDOM_SCHEMA })).rows).toEqual(rows.map(expectedRow));
    }
  });

  it("1969-12-31 23:59:59.9 reads back as 1970-01-01 00:00:00.9, like every ORC reader (spec/orc.md §3.4)", () => {
    const bytes = encodeOrc([{ t: "1969-12-31 23:59:59.9" }, { t: "1969-12-31 23:59:59.000999" }], {
      schema: "struct<t:timestamp>",
    });
    expect(readOrc(bytes).rows).toEqual([
      { t: { seconds: 0, nanos: 900_000_000 } },
      { t: { seconds: -1, nanos: 999_000 } },
    ]);
  });

  it("arrays in field order work as rows, and undefined is null", () => {
    const bytes = encodeOrc(
      [
        ["a", 1n],
        [undefined, null],
      ],
      { schema: "struct<k:string,n:bigint>" },
    );
    expect(readOrc(bytes).rows).toEqual([
      { k: "a", n: 1 },
      { k: null, n: null },
    ]);
  });
});
