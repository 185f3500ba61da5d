import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { OrcReader, toContentsJson } from "./index.js";

const DIR = new URL("../../../../shared/fixtures/orc/", import.meta.url).pathname;

function expectedLines(base: string): string[] {
  const plain = `${DIR}${base}.contents.jsonl`;
  const text = existsSync(plain)
    ? readFileSync(plain, "utf8")
    : gunzipSync(readFileSync(`${plain}.gz`)).toString("utf8");
  return text.split("\n").filter((line) => line.length > 0);
}

function decodedLines(file: string, limit = Number.POSITIVE_INFINITY): string[] {
  const reader = new OrcReader(readFileSync(`${DIR}${file}`));
  const lines: string[] = [];
  for (const row of reader.rows()) {
    if (lines.length >= limit) break;
    lines.push(toContentsJson(row, reader.schema));
  }
  return lines;
}

const inventory = [
  "5.csvimport-zlib",
  "5.none-dict",
  "5.none-index",
  "5.none-noindex",
  "5.zlib-index",
  "10k.csvimport-zlib",
  "10k.none-noindex",
  "10k.zlib-index-dict",
];
const apache = [
  "TestOrcFile.emptyFile",
  "TestOrcFile.test1",
  "TestOrcFile.testDate1900",
  "TestOrcFile.testTimestamp",
  "TestOrcFile.testWithoutIndex",
];

describe("decoder against Apache-written fixtures (rows = orc-contents output)", () => {
  it.each(inventory)("inventory%s.orc", (name) => {
    expect(decodedLines(`inventory${name}.orc`)).toEqual(expectedLines(`inventory${name}`));
  });

  it.each(apache)("apache-examples/%s.orc", (name) => {
    expect(decodedLines(`apache-examples/${name}.orc`)).toEqual(expectedLines(`apache-examples/${name}`));
  });

  it("apache-examples/demo-12-zlib.orc (1,920,800 rows; first 5 against orc-contents, count from the footer)", () => {
    const expected = readFileSync(`${DIR}apache-examples/demo-12-zlib.contents.head5.jsonl`, "utf8")
      .split("\n")
      .filter(Boolean);
    expect(decodedLines("apache-examples/demo-12-zlib.orc", 5)).toEqual(expected);
  });

  it("aws-sample/orc_inventory.orc", () => {
    const expected = readFileSync(`${DIR}aws-sample/orc-contents.jsonl`, "utf8").split("\n").filter(Boolean);
    expect(decodedLines("aws-sample/orc_inventory.orc")).toEqual(expected);
  });
});

describe("row-index positions written by Java (real chunk offsets, in-chunk offsets, run skips)", () => {
  it.each([
    "apache-examples/TestOrcFile.testDate1900.orc",
    "apache-examples/demo-12-zlib.orc",
    "inventory10k.zlib-index-dict.orc",
  ])("%s: seeking to a row group gives the rows a sequential read gives", (file) => {
    const reader = new OrcReader(readFileSync(`${DIR}${file}`));
    const stride = reader.footer.rowIndexStride as number;
    reader.stripes.forEach((stripe, s) => {
      const all = reader.readStripe(s);
      const groups = Math.ceil(stripe.numberOfRows / stride);
      // demo-12 has 193 groups in one stripe: sample them.
      for (let g = 0; g < groups; g += groups > 20 ? 17 : 1) {
        const group = reader.readRowGroup(s, g);
        expect(group.length).toBe(Math.min(stride, stripe.numberOfRows - g * stride));
        expect(group).toEqual(all.slice(g * stride, g * stride + group.length));
      }
    });
  });
});
