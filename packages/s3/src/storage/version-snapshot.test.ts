import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Engine } from "../engine.js";
import { type SeedObject, seedObjects } from "../internal-api.js";
import type { ObjectVersion } from "./records.js";
import { decodeSnapshotPage, encodeSnapshotPage, type SnapshotVersion } from "./version-snapshot.js";

const BUCKET = "snap";
const OWNER = { canonicalId: "owner", accountId: "111122223333" };

/**
 * Keys across several pages of the snapshot's reader (SNAPSHOT_PAGE_ROWS, 500, a page): folders, keys that sort around one
 * another in UTF-8 byte order (é, 文, an astral emoji, U+FFFD), one key with 2,500 versions (a page never splits a
 * key), delete markers.
 */
function* objects(): Generator<SeedObject> {
  for (let i = 0; i < 1200; i++) yield { key: `a/${String(i).padStart(5, "0")}`, size: i };
  for (let v = 0; v < 2500; v++) yield { key: "a/many-versions", size: v };
  for (const key of ["a/é", "a/e\u0301", "a/文档", "a/😀", "a/\uFFFD", "a/", "a", "ab", "a0", "b/x"]) {
    yield { key, size: 1 };
    yield { key, size: 2 };
  }
  for (let i = 0; i < 700; i++) yield { key: `c/${i}`, size: i, deleteMarker: i % 7 === 0 };
  yield { key: "c/3", deleteMarker: true };
}

/** The engine's ListObjectVersions query, page after page: the reference the snapshot must agree with. */
function listed(engine: Engine, prefix: string, currentOnly: boolean): Partial<SnapshotVersion>[] {
  const out: ObjectVersion[] = [];
  let cursor = { key: prefix, inclusive: true } as Parameters<Engine["metadata"]["listVersions"]>[1];
  for (;;) {
    const page = engine.metadata.listVersions(BUCKET, cursor, 997);
    out.push(...page);
    const last = page.at(-1);
    if (page.length < 997 || !last) break;
    cursor = { key: last.key, inclusive: false, beforeSeq: last.seq };
  }
  return out
    .filter((v) => v.key.startsWith(prefix) && (!currentOnly || (v.isLatest && !v.isDeleteMarker)))
    .map((v) => ({
      key: v.key,
      versionId: v.versionId,
      isLatest: v.isLatest,
      isDeleteMarker: v.isDeleteMarker,
      size: v.size,
    }));
}

function snapshotRows(engine: Engine, prefix: string, currentOnly: boolean): Partial<SnapshotVersion>[] {
  const snapshot = engine.metadata.openSnapshot();
  try {
    return [...snapshot.versions(BUCKET, { prefix, currentOnly })].map(
      ({ key, versionId, isLatest, isDeleteMarker, size }) => ({
        key,
        versionId,
        isLatest,
        isDeleteMarker,
        size,
      }),
    );
  } finally {
    snapshot.close();
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each(["disk", "memory"])("VersionSnapshot (%s)", (mode) => {
  const dataDir = mode === "disk" ? mkdtempSync(join(tmpdir(), "inv-snapshot-")) : undefined;
  if (dataDir) dirs.push(dataDir);
  const engine = new Engine(dataDir ? { dataDir } : { inMemory: true });
  engine.metadata.createBucket(BUCKET, "us-east-1", OWNER, Date.now());
  engine.metadata.setVersioning(BUCKET, "Enabled");
  const seeded = seedObjects(engine, BUCKET, objects(), 1000);
  afterAll(() => engine.close());

  it.each([
    ["", false],
    ["", true],
    ["a/", false],
    ["a/", true],
    ["a/many", false],
    ["a/0119", false],
    ["a/é", false],
    ["a/\uFFFD", false],
    ["a/😀", false],
    ["a/文", false],
    ["a/e", false],
    ["a", false],
    ["c/", true],
    ["nothing-here", false],
    ["zzz", false],
  ] as const)("prefix %j, current only %s: the rows of ListObjectVersions, in its order", (prefix, currentOnly) => {
    const expected = listed(engine, prefix, currentOnly);
    const rows = snapshotRows(engine, prefix, currentOnly);
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
    if (prefix === "" && !currentOnly) expect(rows.length).toBe(seeded);
  });

  it("pages: each page's row count is its rows', a page never splits a key, and pages round-trip", () => {
    const snapshot = engine.metadata.openSnapshot();
    try {
      const pages = [...snapshot.pages(BUCKET, { prefix: "a/", currentOnly: false })];
      expect(pages.length).toBeGreaterThan(2);
      let previousLastKey = "";
      for (const page of pages) {
        const versions = decodeSnapshotPage(page.json);
        expect(versions.length).toBe(page.rows);
        expect(versions[0]?.key).not.toBe(previousLastKey);
        previousLastKey = versions.at(-1)?.key ?? "";
        expect(decodeSnapshotPage(encodeSnapshotPage(versions).json)).toEqual(versions);
      }
      expect(pages.reduce((sum, page) => sum + page.rows, 0)).toBe(listed(engine, "a/", false).length);
    } finally {
      snapshot.close();
    }
  });

  it("unread optional fields are null, read ones are not", () => {
    const snapshot = engine.metadata.openSnapshot();
    try {
      const [first] = snapshot.versions(BUCKET, { prefix: "a/00001", currentOnly: false, fields: ["size"] });
      expect(first).toMatchObject({ key: "a/00001", size: 1, etag: null, ownerId: null, storageClass: null });
      expect(typeof first?.versionId).toBe("string");
    } finally {
      snapshot.close();
    }
  });

  it("is a snapshot: writes after it is opened are not seen", () => {
    const snapshot = engine.metadata.openSnapshot();
    try {
      seedObjects(engine, BUCKET, [
        { key: "a/00000", size: 99 },
        { key: "new-key", size: 1 },
      ]);
      const rows = [...snapshot.versions(BUCKET, { prefix: "", currentOnly: false })];
      expect(rows.length).toBe(seeded);
      expect(rows.some((r) => r.key === "new-key")).toBe(false);
    } finally {
      snapshot.close();
    }
  });
});
