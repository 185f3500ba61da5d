// The demo's and `runs`' tables line up in a terminal whatever the keys hold: CJK, accents, emoji, long values.
import { describe, expect, it } from "vitest";
import { displayWidth, renderTable } from "./table.js";

describe("displayWidth", () => {
  it("counts wide characters as two columns, accents and surrogate pairs as one character", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("résumé")).toBe(6);
    expect(displayWidth("年报 2025")).toBe(9);
    expect(displayWidth("🙂x")).toBe(3);
  });
});

describe("renderTable", () => {
  const records = [
    { Key: "docs/年报 2025.txt", Size: 31 },
    { Key: "docs/résumé.pdf", Size: 28 },
    { Key: "photos/🙂.jpg", Size: 5 },
  ];

  it("puts every column separator at the same terminal column", () => {
    const lines = renderTable(records, ["Key", "Size"]).split("\n");
    const separatorColumns = lines.map((line) => displayWidth(line.slice(0, line.search(/ [|+] |-\+-/))));
    expect(new Set(separatorColumns).size, lines.join("\n")).toBe(1);
  });

  it("cuts long values to the width with an ellipsis, never inside a character", () => {
    const table = renderTable([{ Key: "年".repeat(20) }, { Key: "🙂".repeat(20) }], ["Key"], 9);
    const [, , wide, emoji] = table.split("\n");
    expect(wide).toBe("年年年年…");
    expect(displayWidth(wide as string)).toBeLessThanOrEqual(9);
    expect(emoji).toBe("🙂🙂🙂🙂…");
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
