/**
 * SQLite schema. `versions` holds every object version and delete marker, clustered by
 * (bucket, key, seq DESC) so a scan yields keys in UTF-8 byte order (S3's order) with the newest version first.
 * `seq` is a global write counter: it orders versions even when two land in the same millisecond.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS buckets (
  name TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  owner_id TEXT NOT NULL,
  owner_account TEXT NOT NULL,
  versioning TEXT,
  tags TEXT,
  policy TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS versions (
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  version_id TEXT NOT NULL,
  is_latest INTEGER NOT NULL,
  is_delete_marker INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  storage_class TEXT NOT NULL,
  part_sizes TEXT,
  checksum_algorithm TEXT,
  checksum_value TEXT,
  checksum_type TEXT,
  encryption TEXT,
  kms_key_id TEXT,
  owner_id TEXT NOT NULL,
  last_access_ms INTEGER,
  headers TEXT NOT NULL,
  tags TEXT,
  blob_id TEXT,
  PRIMARY KEY (bucket, key, seq DESC)
) WITHOUT ROWID;

CREATE UNIQUE INDEX IF NOT EXISTS version_ids ON versions (bucket, key, version_id);
CREATE INDEX IF NOT EXISTS current_objects ON versions (bucket, key, size, etag, last_modified_ms, storage_class, owner_id, checksum_algorithm, checksum_type)
  WHERE is_latest = 1 AND is_delete_marker = 0;

CREATE TABLE IF NOT EXISTS uploads (
  upload_id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  key TEXT NOT NULL,
  initiated_ms INTEGER NOT NULL,
  owner_id TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  checksum_algorithm TEXT,
  checksum_type TEXT,
  encryption TEXT,
  kms_key_id TEXT,
  headers TEXT NOT NULL,
  tags TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads (bucket, key, initiated_ms);

-- Per-bucket documents that plugins keep (inventory configurations, ...): deleted with their bucket.
CREATE TABLE IF NOT EXISTS bucket_documents (
  bucket TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (bucket, kind, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS parts (
  upload_id TEXT NOT NULL,
  part_number INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  last_modified_ms INTEGER NOT NULL,
  checksum_value TEXT,
  blob_id TEXT NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;
`;
