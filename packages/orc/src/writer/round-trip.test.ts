import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contentsLines, FIXTURES, INVENTORY_SCHEMA, readInventoryTsv } from "../../test/inventory-rows.js";
import { encodeOrc, OrcReader, toContentsJson } from "../index.js";
import { StreamKind } from "../proto/orc-messages.js";

const variants = [
  { compression: "NONE", stringEncoding: "direct" },
  { compression: "NONE", stringEncoding: "dictionary" },
  { compression: "ZLIB", stringEncoding: "direct" },
  { compression: "ZLIB", stringEncoding: "dictionary" },
  { compression: "ZLIB", stringEncoding: "auto" },
] as const;

function decode(bytes: Uint8Array): string[] {
  const reader = new OrcReader(bytes);
  return [...reader.rows()].map((row) => toContentsJson(row, reader.schema));
}

describe("writer -> decoder round trip equals Apache's orc-contents for the same rows", () => {
  for (const set of ["inventory5", "inventory10k"]) {
    const rows = readInventoryTsv(`${set}.tsv`);
    const expected = contentsLines(`${set}.none-noindex`);
    it.each(variants)(`${set}: %o`, (options) => {
      const bytes = encodeOrc(rows, { schema: INVENTORY_SCHEMA, ...options });
      expect(decode(bytes)).toEqual(expected);
    });
    it(`${set}: small stripes (777 rows) and row groups (100 rows), every row group read by seeking`, () => {
      for (const compression of ["NONE", "ZLIB"] as const) {
        const bytes = encodeOrc(rows, {
          schema: INVENTORY_SCHEMA,
          compression,
          stripeMaxRows: 777,
          rowIndexStride: 100,
          compressionBlockSize: 4096,
        });
        expect(decode(bytes)).toEqual(expected);
        const reader = new OrcReader(bytes);
        let row = 0;
        reader.stripes.forEach((stripe, s) => {
          for (let g = 0; g * 100 < stripe.numberOfRows; g++) {
            const lines = reader.readRowGroup(s, g).map((r) => toContentsJson(r, reader.schema));
            expect(lines).toEqual(expected.slice(row, row + lines.length));
            row += lines.length;
          }
        });
        expect(row).toBe(rows.length);
      }
    });
  }
});

/** A structural summary of a file: what orc-tools' dump shows, minus byte lengths. */
function structure(bytes: Uint8Array) {
  const reader = new OrcReader(bytes);
  const ps = reader.postScript;
  return {
    postScript: {
      compression: ps.compression,
      blockSize: ps.compressionBlockSize,
      version: ps.version,
      writerVersion: ps.writerVersion,
      magic: ps.magic,
    },
    // proto2 defaults: liborc spells out maximum_length/precision/scale = 0, Java and this writer omit them.
    types: reader.footer.types.map((t) => ({
      ...t,
      maximumLength: t.maximumLength ?? 0,
      precision: t.precision ?? 0,
      scale: t.scale ?? 0,
    })),
    rows: reader.numberOfRows,
    stride: reader.footer.rowIndexStride,
    statistics: reader.statistics,
    stripeStatistics: reader.metadata?.stripeStats,
    stripes: reader.stripes.map((info, s) => {
      const footer = reader.stripeFooter(s);
      const columns = footer.columns.map((c, column) => ({
        encoding: c.kind,
        dictionarySize: c.dictionarySize ?? 0,
        streams: footer.streams
          .filter((st) => st.column === column)
          .map((st) => st.kind)
          .sort(),
        positions: reader.rowIndex(s, column).map((e) => e.positions.length),
        indexStatistics: reader.rowIndex(s, column).map((e) => e.statistics),
      }));
      return { rows: info.numberOfRows, timezone: footer.writerTimezone, columns };
    }),
  };
}

describe("writer output matches liborc's files structurally (stream kinds, encodings, statistics, positions)", () => {
  it("inventory5, ZLIB, DIRECT_V2 strings = inventory5.zlib-index.orc", () => {
    const ours = encodeOrc(readInventoryTsv("inventory5.tsv"), { schema: INVENTORY_SCHEMA, stringEncoding: "direct" });
    expect(structure(ours)).toEqual(structure(readFileSync(`${FIXTURES}inventory5.zlib-index.orc`)));
  });

  it("inventory5, NONE, DIRECT_V2 strings = inventory5.none-index.orc", () => {
    const ours = encodeOrc(readInventoryTsv("inventory5.tsv"), {
      schema: INVENTORY_SCHEMA,
      stringEncoding: "direct",
      compression: "NONE",
    });
    const theirs = structure(readFileSync(`${FIXTURES}inventory5.none-index.orc`));
    expect(structure(ours)).toEqual({ ...theirs, postScript: { ...theirs.postScript, blockSize: 262144 } });
  });

  it("inventory10k, ZLIB, auto strings = inventory10k.zlib-index-dict.orc (same columns get a dictionary)", () => {
    const ours = encodeOrc(readInventoryTsv("inventory10k.tsv"), { schema: INVENTORY_SCHEMA });
    expect(structure(ours)).toEqual(structure(readFileSync(`${FIXTURES}inventory10k.zlib-index-dict.orc`)));
  });

  it("lists every stream of an all-NULL column at length 0 (spec/orc.md §3.1)", () => {
    const bytes = encodeOrc([{ a: null }, { a: null }], { schema: "struct<a:string,b:bigint>" });
    const streams = new OrcReader(bytes)
      .stripeFooter(0)
      .streams.filter((s) => s.column > 0 && s.kind !== StreamKind.ROW_INDEX);
    expect(streams.map((s) => [s.column, s.kind, s.length > 0])).toEqual([
      [1, StreamKind.PRESENT, true],
      [1, StreamKind.DATA, false],
      [1, StreamKind.LENGTH, false],
      [2, StreamKind.PRESENT, true],
      [2, StreamKind.DATA, false],
    ]);
  });
});
