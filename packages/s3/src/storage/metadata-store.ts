import Database from "better-sqlite3";
import type { BucketRecord, ObjectVersion, PartRecord, Tag, UploadRecord, VersioningState } from "./records.js";
import { NULL_VERSION_ID } from "./records.js";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";
import { VersionSnapshot } from "./version-snapshot.js";

type Row = Record<string, unknown>;

function toVersion(row: Row): ObjectVersion {
  return {
    bucket: row.bucket as string,
    key: row.key as string,
    seq: row.seq as number,
    versionId: row.version_id as string,
    isLatest: row.is_latest === 1,
    isDeleteMarker: row.is_delete_marker === 1,
    size: row.size as number,
    etag: row.etag as string,
    lastModifiedMs: row.last_modified_ms as number,
    storageClass: row.storage_class as string,
    partSizes: row.part_sizes ? JSON.parse(row.part_sizes as string) : null,
    checksum: row.checksum_algorithm
      ? {
          algorithm: row.checksum_algorithm as string,
          value: row.checksum_value as string,
          type: row.checksum_type as "FULL_OBJECT" | "COMPOSITE",
        }
      : null,
    encryption: (row.encryption as ObjectVersion["encryption"]) ?? null,
    kmsKeyId: (row.kms_key_id as string | null) ?? null,
    ownerId: row.owner_id as string,
    lastAccessMs: (row.last_access_ms as number | null) ?? null,
    headers: JSON.parse(row.headers as string),
    tags: row.tags ? JSON.parse(row.tags as string) : [],
    blobId: (row.blob_id as string | null) ?? null,
  };
}

function fromVersion(v: ObjectVersion): Row {
  return {
    bucket: v.bucket,
    key: v.key,
    seq: v.seq,
    version_id: v.versionId,
    is_latest: v.isLatest ? 1 : 0,
    is_delete_marker: v.isDeleteMarker ? 1 : 0,
    size: v.size,
    etag: v.etag,
    last_modified_ms: v.lastModifiedMs,
    storage_class: v.storageClass,
    part_sizes: v.partSizes ? JSON.stringify(v.partSizes) : null,
    checksum_algorithm: v.checksum?.algorithm ?? null,
    checksum_value: v.checksum?.value ?? null,
    checksum_type: v.checksum?.type ?? null,
    encryption: v.encryption,
    kms_key_id: v.kmsKeyId,
    owner_id: v.ownerId,
    last_access_ms: v.lastAccessMs,
    headers: JSON.stringify(v.headers),
    tags: v.tags.length ? JSON.stringify(v.tags) : null,
    blob_id: v.blobId,
  };
}

function toBucket(row: Row): BucketRecord {
  return {
    name: row.name as string,
    region: row.region as string,
    createdMs: row.created_ms as number,
    ownerId: row.owner_id as string,
    ownerAccountId: row.owner_account as string,
    versioning: (row.versioning as VersioningState) ?? null,
    tags: row.tags ? JSON.parse(row.tags as string) : null,
  };
}

function toUpload(row: Row): UploadRecord {
  return {
    uploadId: row.upload_id as string,
    bucket: row.bucket as string,
    key: row.key as string,
    initiatedMs: row.initiated_ms as number,
    ownerId: row.owner_id as string,
    storageClass: row.storage_class as string,
    checksumAlgorithm: (row.checksum_algorithm as string | null) ?? null,
    checksumType: (row.checksum_type as UploadRecord["checksumType"]) ?? null,
    encryption: (row.encryption as UploadRecord["encryption"]) ?? null,
    kmsKeyId: (row.kms_key_id as string | null) ?? null,
    headers: JSON.parse(row.headers as string),
    tags: row.tags ? JSON.parse(row.tags as string) : [],
  };
}

function toPart(row: Row): PartRecord {
  return {
    uploadId: row.upload_id as string,
    partNumber: row.part_number as number,
    size: row.size as number,
    etag: row.etag as string,
    lastModifiedMs: row.last_modified_ms as number,
    checksumValue: (row.checksum_value as string | null) ?? null,
    blobId: row.blob_id as string,
  };
}

const VERSION_COLUMNS = Object.keys(fromVersion({ headers: {}, tags: [] } as unknown as ObjectVersion));

/** Documents a plugin keeps per bucket, ordered by id. */
export interface BucketDocuments {
  put(bucket: string, id: string, body: string): void;
  get(bucket: string, id: string): string | undefined;
  list(bucket: string, afterId: string, limit: number): { id: string; body: string }[];
  count(bucket: string): number;
  /** True when a document was removed. */
  delete(bucket: string, id: string): boolean;
}

/** The columns a plain listing needs: served from the covering `current_objects` index. */
export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModifiedMs: number;
  storageClass: string;
  ownerId: string;
  checksumAlgorithm: string | null;
  checksumType: string | null;
}

const currentListing = (operator: ">" | ">=") =>
  `SELECT key, size, etag, last_modified_ms, storage_class, owner_id, checksum_algorithm, checksum_type
   FROM versions INDEXED BY current_objects
   WHERE bucket = ? AND key ${operator} ? AND is_latest = 1 AND is_delete_marker = 0 ORDER BY key LIMIT ?`;

/** A position in key order: list from `key` (inclusive) or after it; `beforeSeq` continues inside a key. */
export interface ListCursor {
  key: string;
  inclusive: boolean;
  beforeSeq?: number;
}

/**
 * All metadata, in one SQLite database (a file, or `:memory:`), through prepared statements.
 * Every multi-row change runs in one transaction, so a crash never leaves half an operation.
 */
export class MetadataStore {
  private readonly db: Database.Database;
  private nextSeq: number;
  private readonly bucketCache = new Map<string, { bucket: BucketRecord; policy: string | null }>();
  private readonly statements;
  /** One transaction wrapper for every call: db.transaction() builds new wrappers each time it is called. */
  private readonly inTransaction: <T>(work: () => T) => T;

  constructor(private readonly path: string) {
    this.db = new Database(path);
    const runInTransaction = this.db.transaction((work: () => unknown) => work());
    this.inTransaction = <T>(work: () => T): T => runInTransaction(work) as T;
    this.db.pragma("journal_mode = WAL");
    // NORMAL is durable against process crashes (kill -9); only an OS crash can lose the last commits.
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    this.db.prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    this.nextSeq = ((this.db.prepare("SELECT max(seq) AS s FROM versions").get() as Row).s as number | null) ?? 0;
    const db = this.db;
    this.statements = {
      insertBucket: db.prepare(
        "INSERT INTO buckets (name, region, created_ms, owner_id, owner_account) VALUES (?, ?, ?, ?, ?)",
      ),
      getBucket: db.prepare("SELECT * FROM buckets WHERE name = ?"),
      listBuckets: db.prepare("SELECT * FROM buckets ORDER BY name"),
      deleteBucket: db.prepare("DELETE FROM buckets WHERE name = ?"),
      deleteBucketDocuments: db.prepare("DELETE FROM bucket_documents WHERE bucket = ?"),
      putDocument: db.prepare("INSERT OR REPLACE INTO bucket_documents (bucket, kind, id, body) VALUES (?, ?, ?, ?)"),
      getDocument: db.prepare("SELECT body FROM bucket_documents WHERE bucket = ? AND kind = ? AND id = ?").pluck(),
      listDocuments: db.prepare(
        "SELECT id, body FROM bucket_documents WHERE bucket = ? AND kind = ? AND id > ? ORDER BY id LIMIT ?",
      ),
      countDocuments: db.prepare("SELECT count(*) FROM bucket_documents WHERE bucket = ? AND kind = ?").pluck(),
      deleteDocument: db.prepare("DELETE FROM bucket_documents WHERE bucket = ? AND kind = ? AND id = ?"),
      setVersioning: db.prepare("UPDATE buckets SET versioning = ? WHERE name = ?"),
      setBucketTags: db.prepare("UPDATE buckets SET tags = ? WHERE name = ?"),
      setBucketPolicy: db.prepare("UPDATE buckets SET policy = ? WHERE name = ?"),
      anyVersion: db.prepare("SELECT 1 FROM versions WHERE bucket = ? LIMIT 1"),
      anyUpload: db.prepare("SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1"),
      insertVersion: db.prepare(
        `INSERT INTO versions (${VERSION_COLUMNS.join(", ")}) VALUES (${VERSION_COLUMNS.map((c) => `@${c}`).join(", ")})`,
      ),
      latest: db.prepare("SELECT * FROM versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1"),
      byVersionId: db.prepare("SELECT * FROM versions WHERE bucket = ? AND key = ? AND version_id = ?"),
      // What replacing the null version needs, without reading (and decoding) the whole row.
      replacedVersion: db.prepare("SELECT seq, blob_id FROM versions WHERE bucket = ? AND key = ? AND version_id = ?"),
      clearLatest: db.prepare("UPDATE versions SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1"),
      setLatest: db.prepare("UPDATE versions SET is_latest = 1 WHERE bucket = ? AND key = ? AND seq = ?"),
      deleteVersion: db.prepare("DELETE FROM versions WHERE bucket = ? AND key = ? AND seq = ?"),
      touch: db.prepare("UPDATE versions SET last_access_ms = ? WHERE bucket = ? AND key = ? AND seq = ?"),
      setTags: db.prepare("UPDATE versions SET tags = ? WHERE bucket = ? AND key = ? AND seq = ?"),
      listCurrentAfter: db.prepare(currentListing(">")),
      listCurrentFrom: db.prepare(currentListing(">=")),
      listVersionsFromKey: db.prepare(
        "SELECT * FROM versions WHERE bucket = ? AND key >= ? ORDER BY key, seq DESC LIMIT ?",
      ),
      listVersionsAfterKey: db.prepare(
        "SELECT * FROM versions WHERE bucket = ? AND key > ? ORDER BY key, seq DESC LIMIT ?",
      ),
      listVersionsOfKeyBefore: db.prepare(
        "SELECT * FROM versions WHERE bucket = ? AND key = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
      ),
      insertUpload: db.prepare(
        `INSERT INTO uploads (upload_id, bucket, key, initiated_ms, owner_id, storage_class, checksum_algorithm,
          checksum_type, encryption, kms_key_id, headers, tags)
         VALUES (@uploadId, @bucket, @key, @initiatedMs, @ownerId, @storageClass, @checksumAlgorithm,
          @checksumType, @encryption, @kmsKeyId, @headers, @tags)`,
      ),
      getUpload: db.prepare("SELECT * FROM uploads WHERE upload_id = ? AND bucket = ? AND key = ?"),
      deleteUpload: db.prepare("DELETE FROM uploads WHERE upload_id = ?"),
      listUploads: db.prepare(
        "SELECT * FROM uploads WHERE bucket = ? AND (key > ? OR (key = ? AND upload_id > ?)) ORDER BY key, initiated_ms, upload_id LIMIT ?",
      ),
      upsertPart: db.prepare(
        `INSERT INTO parts (upload_id, part_number, size, etag, last_modified_ms, checksum_value, blob_id)
         VALUES (@uploadId, @partNumber, @size, @etag, @lastModifiedMs, @checksumValue, @blobId)
         ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
           last_modified_ms = excluded.last_modified_ms, checksum_value = excluded.checksum_value, blob_id = excluded.blob_id`,
      ),
      getPart: db.prepare("SELECT * FROM parts WHERE upload_id = ? AND part_number = ?"),
      listParts: db.prepare("SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?"),
      deleteParts: db.prepare("DELETE FROM parts WHERE upload_id = ?"),
    };
  }

  close(): void {
    this.db.close();
  }

  // --- buckets ---

  createBucket(name: string, region: string, owner: { canonicalId: string; accountId: string }, nowMs: number): void {
    this.bucketCache.delete(name);
    this.statements.insertBucket.run(name, region, nowMs, owner.canonicalId, owner.accountId);
  }

  /**
   * A bucket's row, cached: every request reads its bucket several times (authorization, the operation, the
   * commit), and bucket rows change only through the methods below, which drop the cached copy.
   */
  getBucket(name: string): BucketRecord | undefined {
    let cached = this.bucketCache.get(name);
    if (!cached) {
      const row = this.statements.getBucket.get(name) as Row | undefined;
      if (!row) return undefined;
      cached = { bucket: toBucket(row), policy: (row.policy as string | null) ?? null };
      this.bucketCache.set(name, cached);
    }
    return cached.bucket;
  }

  listBuckets(): BucketRecord[] {
    return (this.statements.listBuckets.all() as Row[]).map(toBucket);
  }

  isBucketEmpty(name: string): boolean {
    return !this.statements.anyVersion.get(name) && !this.statements.anyUpload.get(name);
  }

  deleteBucket(name: string): void {
    this.bucketCache.delete(name);
    this.statements.deleteBucketDocuments.run(name);
    this.statements.deleteBucket.run(name);
  }

  setVersioning(name: string, state: VersioningState): void {
    this.bucketCache.delete(name);
    this.statements.setVersioning.run(state, name);
  }

  setBucketTags(name: string, tags: Tag[] | null): void {
    this.bucketCache.delete(name);
    this.statements.setBucketTags.run(tags ? JSON.stringify(tags) : null, name);
  }

  /** The bucket policy exactly as it was put, or null. */
  getBucketPolicy(name: string): string | null {
    this.getBucket(name);
    return this.bucketCache.get(name)?.policy ?? null;
  }

  setBucketPolicy(name: string, policy: string | null): void {
    this.bucketCache.delete(name);
    this.statements.setBucketPolicy.run(policy, name);
  }

  /** A per-bucket document store of one kind, for plugins; documents go with their bucket. */
  documents(kind: string): BucketDocuments {
    const s = this.statements;
    return {
      put: (bucket, id, body) => void s.putDocument.run(bucket, kind, id, body),
      get: (bucket, id) => (s.getDocument.get(bucket, kind, id) as string | undefined) ?? undefined,
      list: (bucket, afterId, limit) =>
        s.listDocuments.all(bucket, kind, afterId, limit) as { id: string; body: string }[],
      count: (bucket) => s.countDocuments.get(bucket, kind) as number,
      delete: (bucket, id) => s.deleteDocument.run(bucket, kind, id).changes > 0,
    };
  }

  /** A consistent read-only view of every version, taken now (for inventory runs). */
  openSnapshot(): VersionSnapshot {
    return VersionSnapshot.open(this.db, this.path);
  }

  /**
   * Adds many versions at once (bulk seeding): one transaction per call, each version becoming the latest
   * of its key with the same rules as putVersion.
   */
  readonly seedVersions = (versions: Omit<ObjectVersion, "seq" | "isLatest">[]): string[] =>
    this.inTransaction(() => versions.flatMap((version) => this.addLatestVersion(version).orphanBlobs));

  // --- object versions ---

  allocateSeq(): number {
    this.nextSeq += 1;
    return this.nextSeq;
  }

  /**
   * Adds a version as the latest of its key. When it is the null version (unversioned or suspended bucket),
   * the previous null version is replaced. Returns the blob ids no longer referenced.
   */
  readonly putVersion = (
    version: Omit<ObjectVersion, "seq" | "isLatest">,
  ): { version: ObjectVersion; orphanBlobs: string[] } => this.inTransaction(() => this.addLatestVersion(version));

  /** putVersion's statements, for callers already inside a transaction (a nested one costs a savepoint). */
  private addLatestVersion(version: Omit<ObjectVersion, "seq" | "isLatest">): {
    version: ObjectVersion;
    orphanBlobs: string[];
  } {
    const orphanBlobs: string[] = [];
    if (version.versionId === NULL_VERSION_ID) {
      const previous = this.statements.replacedVersion.get(version.bucket, version.key, NULL_VERSION_ID) as
        | Row
        | undefined;
      if (previous) {
        this.statements.deleteVersion.run(version.bucket, version.key, previous.seq);
        if (previous.blob_id) orphanBlobs.push(previous.blob_id as string);
      }
    }
    this.statements.clearLatest.run(version.bucket, version.key);
    const stored: ObjectVersion = { ...version, seq: this.allocateSeq(), isLatest: true };
    this.statements.insertVersion.run(fromVersion(stored));
    return { version: stored, orphanBlobs };
  }

  getVersion(bucket: string, key: string, versionId?: string): ObjectVersion | undefined {
    const row = (
      versionId === undefined
        ? this.statements.latest.get(bucket, key)
        : this.statements.byVersionId.get(bucket, key, versionId)
    ) as Row | undefined;
    return row && toVersion(row);
  }

  /** Removes one version for good; the next newest version of the key becomes the latest. */
  readonly deleteVersion = (version: ObjectVersion): void =>
    this.inTransaction(() => {
      this.statements.deleteVersion.run(version.bucket, version.key, version.seq);
      if (version.isLatest) {
        const next = this.statements.latest.get(version.bucket, version.key) as Row | undefined;
        if (next) this.statements.setLatest.run(version.bucket, version.key, next.seq);
      }
    });

  touch(version: ObjectVersion, nowMs: number): void {
    this.statements.touch.run(nowMs, version.bucket, version.key, version.seq);
  }

  setObjectTags(version: ObjectVersion, tags: Tag[]): void {
    this.statements.setTags.run(tags.length ? JSON.stringify(tags) : null, version.bucket, version.key, version.seq);
  }

  /** Current (non-deleted) objects from the cursor on, in key order. */
  listCurrent(bucket: string, from: ListCursor, limit: number): ListedObject[] {
    const statement = from.inclusive ? this.statements.listCurrentFrom : this.statements.listCurrentAfter;
    return (statement.all(bucket, from.key, limit) as Row[]).map((row) => ({
      key: row.key as string,
      size: row.size as number,
      etag: row.etag as string,
      lastModifiedMs: row.last_modified_ms as number,
      storageClass: row.storage_class as string,
      ownerId: row.owner_id as string,
      checksumAlgorithm: (row.checksum_algorithm as string | null) ?? null,
      checksumType: (row.checksum_type as string | null) ?? null,
    }));
  }

  /** Versions in (key, newest first) order, starting after the (key, seq) position or at/after a key. */
  listVersions(bucket: string, from: ListCursor, limit: number): ObjectVersion[] {
    const rows: Row[] = [];
    if (from.beforeSeq !== undefined) {
      rows.push(...(this.statements.listVersionsOfKeyBefore.all(bucket, from.key, from.beforeSeq, limit) as Row[]));
    }
    if (rows.length < limit) {
      const rest =
        from.inclusive && from.beforeSeq === undefined
          ? this.statements.listVersionsFromKey.all(bucket, from.key, limit - rows.length)
          : this.statements.listVersionsAfterKey.all(bucket, from.key, limit - rows.length);
      rows.push(...(rest as Row[]));
    }
    return rows.map(toVersion);
  }

  // --- multipart uploads ---

  createUpload(upload: UploadRecord): void {
    this.statements.insertUpload.run({
      ...upload,
      headers: JSON.stringify(upload.headers),
      tags: upload.tags.length ? JSON.stringify(upload.tags) : null,
    });
  }

  getUpload(bucket: string, key: string, uploadId: string): UploadRecord | undefined {
    const row = this.statements.getUpload.get(uploadId, bucket, key) as Row | undefined;
    return row && toUpload(row);
  }

  /** Stores a part; returns the blob of a part it replaced, if any. */
  readonly putPart = (part: PartRecord): string | undefined =>
    this.inTransaction(() => {
      const previous = this.statements.getPart.get(part.uploadId, part.partNumber) as Row | undefined;
      this.statements.upsertPart.run(part);
      return previous?.blob_id as string | undefined;
    });

  listParts(uploadId: string, afterPartNumber: number, limit: number): PartRecord[] {
    return (this.statements.listParts.all(uploadId, afterPartNumber, limit) as Row[]).map(toPart);
  }

  listUploads(bucket: string, after: { key: string; uploadId: string }, limit: number): UploadRecord[] {
    return (this.statements.listUploads.all(bucket, after.key, after.key, after.uploadId, limit) as Row[]).map(
      toUpload,
    );
  }

  /** Removes an upload and its parts; returns their blob ids. */
  readonly deleteUpload = (uploadId: string): string[] =>
    this.inTransaction(() => {
      const blobs = this.listParts(uploadId, 0, 100_000).map((part) => part.blobId);
      this.statements.deleteParts.run(uploadId);
      this.statements.deleteUpload.run(uploadId);
      return blobs;
    });

  /** Runs `work` in one transaction (for operations that combine several of the calls above). */
  transaction<T>(work: () => T): T {
    return this.inTransaction(work);
  }
}
