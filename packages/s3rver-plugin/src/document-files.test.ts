import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DocumentFiles } from "./document-files.js";

describe("DocumentFiles", () => {
  let root: string;
  let documents: DocumentFiles;
  const fileOf = (bucket: string) => join(root, bucket, "._S3rver_test.json");

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "document-files-"));
    mkdirSync(join(root, "b"));
    documents = new DocumentFiles(fileOf);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("puts, gets, counts, replaces and deletes; the file goes with the last document", () => {
    expect([documents.get("b", "x"), documents.count("b")]).toEqual([undefined, 0]);
    documents.put("b", "x", "1");
    documents.put("b", "x", "2");
    documents.put("b", "__proto__", "not a prototype");
    expect([documents.get("b", "x"), documents.get("b", "__proto__"), documents.count("b")]).toEqual([
      "2",
      "not a prototype",
      2,
    ]);
    expect(documents.delete("b", "x")).toBe(true);
    expect(documents.delete("b", "x")).toBe(false);
    expect(documents.delete("b", "__proto__")).toBe(true);
    expect(existsSync(fileOf("b"))).toBe(false);
  });

  it("lists in UTF-8 byte order after an id, a page at a time", () => {
    // UTF-16 order would put U+1F600 (a surrogate pair) before U+E000; UTF-8 (and SQLite) put it after.
    for (const id of ["b", "\u{1F600}", "a", "\uE000", "B"]) documents.put("b", id, id);
    expect(documents.list("b", "", 10).map((d) => d.id)).toEqual(["B", "a", "b", "\uE000", "\u{1F600}"]);
    expect(documents.list("b", "a", 2).map((d) => d.id)).toEqual(["b", "\uE000"]);
  });

  it("a bucket whose directory is gone is NoSuchBucket", () => {
    expect(() => documents.put("gone", "x", "1")).toThrow(expect.objectContaining({ code: "NoSuchBucket" }));
  });
});
