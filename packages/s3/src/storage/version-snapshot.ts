import Database from "better-sqlite3";

/** One object version as an inventory report sees it. */
export interface SnapshotVersion {
  key: string;
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  etag: string;
  lastModifiedMs: number;
  storageClass: string;
  isMultipart: boolean;
  checksumAlgorithm: string | null;
  encryption: string | null;
  kmsKeyId: string | null;
  ownerId: string;
  lastAccessMs: number | null;
}

const SELECT = `SELECT key, version_id, is_latest, is_delete_marker, size, etag, last_modified_ms, storage_class,
  part_sizes IS NOT NULL, checksum_algorithm, encryption, kms_key_id, owner_id, last_access_ms FROM versions`;

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

  /** Versions of `bucket` whose key starts with `prefix`; only current objects when `currentOnly`. */
  *versions(bucket: string, options: { prefix: string; currentOnly: boolean }): Generator<SnapshotVersion> {
    const filter = options.currentOnly ? " AND is_latest = 1 AND is_delete_marker = 0" : "";
    const statement = this.db.prepare(`${SELECT} WHERE bucket = ? AND key >= ?${filter} ORDER BY key, seq DESC`).raw(true);
    for (const row of statement.iterate(bucket, options.prefix) as Iterable<unknown[]>) {
      const key = row[0] as string;
      if (!key.startsWith(options.prefix)) return;
      yield {
        key,
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
      };
    }
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec("COMMIT");
    this.db.close();
  }
}
