import Database from "better-sqlite3";

/**
 * Small blobs as rows of their own SQLite file. Creating a file costs ~0.1 ms of kernel time on these machines,
 * more than the rest of a 1 KiB PUT together (scripts/bench/README.md); a row costs a few microseconds, and a
 * committed row is as durable against a killed process as a renamed file.
 */
export class SmallBlobTable {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec("CREATE TABLE IF NOT EXISTS blobs (id TEXT PRIMARY KEY, bytes BLOB NOT NULL) WITHOUT ROWID");
    this.statements = {
      put: this.db.prepare("INSERT INTO blobs (id, bytes) VALUES (?, ?)"),
      get: this.db.prepare("SELECT bytes FROM blobs WHERE id = ?").pluck(),
      delete: this.db.prepare("DELETE FROM blobs WHERE id = ?"),
    };
  }

  put(id: string, bytes: Buffer): void {
    this.statements.put.run(id, bytes);
  }

  get(id: string): Buffer | undefined {
    return this.statements.get.get(id) as Buffer | undefined;
  }

  delete(id: string): void {
    this.statements.delete.run(id);
  }

  close(): void {
    this.db.close();
  }
}
