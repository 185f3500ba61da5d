import Database from "better-sqlite3";
import type { ObjectVersion } from "./records.js";

/**
 * One object version as an inventory report sees it: the stored version's facts, with its part sizes reduced to
 * whether it was multipart-uploaded and its checksum to its algorithm (a host other than the engine, s3rver, may
 * record any encryption header value).
 */
export interface SnapshotVersion
  extends Pick<
    ObjectVersion,
    | "key"
    | "versionId"
    | "isLatest"
    | "isDeleteMarker"
    | "size"
    | "etag"
    | "lastModifiedMs"
    | "storageClass"
    | "kmsKeyId"
    | "ownerId"
    | "lastAccessMs"
  > {
  isMultipart: boolean;
  checksumAlgorithm: string | null;
  encryption: string | null;
}

/** The fields every read returns: the row's identity, and flags that cost next to nothing. */
type CoreSnapshotField = "key" | "versionId" | "isLatest" | "isDeleteMarker" | "isMultipart";
/** Fields a reader may leave unread: a cell costs ~0.1 µs to read, and a report reads a row per version. */
export type OptionalSnapshotField = Exclude<keyof SnapshotVersion, CoreSnapshotField>;

/** Every field's SQL, in the order of the row a SnapshotVersion is built from. */
const FIELD_SQL: readonly { field: keyof SnapshotVersion; sql: string; core?: true }[] = [
  { field: "key", sql: "key", core: true },
  { field: "versionId", sql: "version_id", core: true },
  { field: "isLatest", sql: "is_latest", core: true },
  { field: "isDeleteMarker", sql: "is_delete_marker", core: true },
  { field: "size", sql: "size" },
  { field: "etag", sql: "etag" },
  { field: "lastModifiedMs", sql: "last_modified_ms" },
  { field: "storageClass", sql: "storage_class" },
  { field: "isMultipart", sql: "part_sizes IS NOT NULL", core: true },
  { field: "checksumAlgorithm", sql: "checksum_algorithm" },
  { field: "encryption", sql: "encryption" },
  { field: "kmsKeyId", sql: "kms_key_id" },
  { field: "ownerId", sql: "owner_id" },
  { field: "lastAccessMs", sql: "last_access_ms" },
];

/** The SELECT list, as c0, c1, …: an unread field is a NULL literal, so that every row has the same layout. */
function selectList(fields: readonly OptionalSnapshotField[] | undefined): string {
  const read = fields && new Set<keyof SnapshotVersion>(fields);
  return FIELD_SQL.map(({ field, sql, core }, i) => `${core || !read || read.has(field) ? sql : "NULL"} AS c${i}`).join(
    ", ",
  );
}

/** json_array() of the SELECT list's columns. */
const JSON_ROW = `json_array(${FIELD_SQL.map((_, i) => `c${i}`).join(", ")})`;

export interface SnapshotReadOptions {
  prefix: string;
  currentOnly: boolean;
  /** The optional fields to read; all of them when absent. */
  fields?: readonly OptionalSnapshotField[];
}

/**
 * Snapshot rows as they cross from SQLite (and between threads): `json` is a JSON array of rows, each an array of
 * the SnapshotVersion fields in FIELD_SQL order (booleans as 0/1); decodeSnapshotPage turns it into versions.
 */
export interface SnapshotPage {
  rows: number;
  json: string;
}

/** The versions of a page, each a fresh object. */
export function decodeSnapshotPage(json: string): SnapshotVersion[] {
  return (JSON.parse(json) as unknown[][]).map((row) => ({
    key: row[0] as string,
    versionId: row[1] as string,
    isLatest: row[2] === 1,
    isDeleteMarker: row[3] === 1,
    size: row[4] as number,
    etag: row[5] as string,
    lastModifiedMs: row[6] as number,
    storageClass: row[7] as string,
    isMultipart: row[8] === 1,
    checksumAlgorithm: row[9] as string | null,
    encryption: row[10] as string | null,
    kmsKeyId: row[11] as string | null,
    ownerId: row[12] as string,
    lastAccessMs: row[13] as number | null,
  }));
}

/** A page of versions from elsewhere than SQLite (another host's listing, or a page split in two). */
export function encodeSnapshotPage(versions: readonly SnapshotVersion[]): SnapshotPage {
  const rows = versions.map((v) =>
    FIELD_SQL.map(({ field }) => (typeof v[field] === "boolean" ? (v[field] ? 1 : 0) : v[field])),
  );
  return { rows: versions.length, json: JSON.stringify(rows) };
}

/**
 * The least text above every key that starts with `prefix`, as SQLite compares text (by UTF-8 bytes), or none
 * for the empty prefix: the prefix with its last byte below 0xFF raised by one, and what follows it cut off.
 */
function prefixEnd(prefix: string): Buffer | undefined {
  const bytes = Buffer.from(prefix);
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i] as number;
    if (byte < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return undefined;
}

/**
 * Rows per page (at least: a page ends with the last version of a key). 500 rows are ~100 KB of JSON: below V8's
 * 128 KB limit for ordinary heap objects, so a page's text dies young; larger pages went to the large-object space,
 * freed only by full collections, and a 1M-row Parquet report peaked ~35 MB higher (scripts/bench/inventory.mjs).
 */
export const SNAPSHOT_PAGE_ROWS = 500;

/**
 * A consistent, read-only view of all object versions at one instant, which writers do not disturb:
 * a second SQLite connection holding a read transaction (WAL keeps its snapshot), or, for an in-memory
 * database, a private copy of it. Rows stream in key order, newest version first.
 */
export class VersionSnapshot {
  private readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static open(source: Database.Database, path: string): VersionSnapshot {
    if (path === ":memory:") return new VersionSnapshot(new Database(source.serialize()));
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.exec("BEGIN");
    // The snapshot is taken at the first read of the transaction, so read now, not when iteration starts.
    db.prepare("SELECT count(*) FROM buckets").pluck().get();
    return new VersionSnapshot(db);
  }

  /**
   * Versions of `bucket` whose key starts with `prefix`, in pages of about SNAPSHOT_PAGE_ROWS rows (SnapshotPage);
   * only current objects when `currentOnly`. With `fields`, the optional fields not listed are left null (unread).
   *
   * A page crosses from SQLite as one JSON text (json_group_array). Read row by row, each cell crossing on its own,
   * 1M versions took ~2.3 s of CPU; as pages ~1.2 s, and JSON.parse can then run on another thread
   * (scripts/bench/inventory.mjs). A page ends after the last version of a key; the next starts after that key.
   */
  *pages(bucket: string, options: SnapshotReadOptions): Generator<SnapshotPage> {
    const end = prefixEnd(options.prefix);
    // `from` is ">=" for the first page (it starts at the prefix) and ">" after (it starts after a page's last key).
    const where = (from: ">=" | ">") =>
      `bucket = ? AND key ${from} ?${end ? " AND key < CAST(? AS TEXT)" : ""}${options.currentOnly ? " AND is_latest = 1 AND is_delete_marker = 0" : ""}`;
    const statements = (from: ">=" | ">") => ({
      lastKey: this.db
        .prepare(
          `SELECT max(key) FROM (SELECT key FROM versions WHERE ${where(from)} ORDER BY key LIMIT ${SNAPSHOT_PAGE_ROWS})`,
        )
        .pluck(),
      // Ordered in the subquery (the primary key's order: no sort), not by json_group_array's own ORDER BY,
      // which sorts again: 0.5 s more per 1M versions. The aggregate takes its rows in the subquery's order.
      rows: this.db
        .prepare(
          `SELECT count(*), json_group_array(${JSON_ROW}) FROM (SELECT ${selectList(options.fields)} FROM versions WHERE ${where(from)} AND key <= ? ORDER BY key, seq DESC)`,
        )
        .raw(true),
    });
    // The first page starts at the prefix itself, the next ones after the last key of the page before.
    const next = statements(">");
    let page = statements(">=");
    let after = options.prefix;
    const bounds = end ? [end] : [];
    for (;;) {
      const lastKey = page.lastKey.get(bucket, after, ...bounds) as string | null;
      if (lastKey === null) return;
      const [rows, json] = page.rows.get(bucket, after, ...bounds, lastKey) as [number, string];
      yield { rows, json };
      page = next;
      after = lastKey;
    }
  }

  /** The versions of pages(), one by one. */
  *versions(bucket: string, options: SnapshotReadOptions): Generator<SnapshotVersion> {
    for (const page of this.pages(bucket, options)) yield* decodeSnapshotPage(page.json);
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec("COMMIT");
    this.db.close();
  }
}
