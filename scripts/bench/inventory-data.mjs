/**
 * The objects of the inventory bench: a deterministic, realistic-looking bucket. Keys live in folders of
 * varied depth and length (logs, photos, data-lake partitions, backups, documents with spaces and
 * parentheses, ~3% non-ASCII); sizes are spread from 0 bytes to a few GiB; storage classes are mostly
 * STANDARD; ~10% of large objects are multipart uploads. The bucket is versioned: ~8% of keys have an older
 * version and ~2% are deleted (a delete marker on top), as a real versioned bucket does.
 *
 * `benchObjects(versions)` yields SeedObjects for seedObjects(engine, bucket, objects) until exactly
 * `versions` versions (report rows with IncludedObjectVersions=All) have been produced.
 */

export const SOURCE = "inventory-source";
export const DESTINATION = "inventory-reports";
export const CONFIGURATIONS = { csv: "CSV", parquet: "Parquet", orc: "ORC" };
/** The optional fields of every configuration: the usual choice of a real AWS configuration. */
export const OPTIONAL_FIELDS = [
  "Size",
  "LastModifiedDate",
  "StorageClass",
  "ETag",
  "IsMultipartUploaded",
  "ReplicationStatus",
  "EncryptionStatus",
  "BucketKeyStatus",
  "ChecksumAlgorithm",
  "IntelligentTieringAccessTier",
];

const CLASSES = [
  [0.8, "STANDARD"],
  [0.08, "STANDARD_IA"],
  [0.05, "INTELLIGENT_TIERING"],
  [0.03, "GLACIER"],
  [0.02, "GLACIER_IR"],
  [0.02, "DEEP_ARCHIVE"],
];
const UNICODE_FOLDERS = ["photos/été", "文档/报告", "música/álbum", "データ/ログ", "Übersicht/Straße"];
const WORDS = [
  "report",
  "invoice",
  "Quarterly Report",
  "draft (final)",
  "meeting notes",
  "backup",
  "export",
  "summary",
];
const HEX = "0123456789abcdef";
const MIB = 1024 * 1024;
const START_MS = Date.UTC(2023, 0, 1);

/** A small seeded PRNG (LCG): the same bucket on every run and machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, "0");

/** The i-th key: unique per i, in one of several realistic shapes. */
function keyOf(i, rand) {
  const day = new Date(START_MS + Math.floor(i / 2000) * 86_400_000);
  const ymd = `${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1, 2)}/${pad(day.getUTCDate(), 2)}`;
  const pick = rand();
  if (pick < 0.35) return `logs/${ymd}/web-${pad(i % 7, 2)}/access-${1_700_000_000_000 + i * 37}.log.gz`;
  if (pick < 0.55) return `images/users/u${pad(Math.floor(i / 40), 7)}/IMG_${pad(i, 8)}.jpg`;
  if (pick < 0.7) {
    const uuid = Array.from({ length: 32 }, () => HEX[Math.floor(rand() * 16)]).join("");
    return `warehouse/events/year=${day.getUTCFullYear()}/month=${pad(day.getUTCMonth() + 1, 2)}/part-${pad(i % 1000, 5)}-${uuid}.c000.snappy.parquet`;
  }
  if (pick < 0.8) return `backups/db/${day.toISOString().slice(0, 10)}T01:00:00Z/dump-${i}.sql.gz`;
  if (pick < 0.97) return `shared/team-${i % 13}/${WORDS[i % WORDS.length]} ${i}.pdf`;
  if (pick < 0.995) return `${UNICODE_FOLDERS[i % UNICODE_FOLDERS.length]}/fichier-${i} ✓.txt`;
  return `k${i}`; // a few short keys at the top level
}

function sizeOf(rand) {
  const pick = rand();
  if (pick < 0.05) return 0;
  if (pick < 0.7) return Math.floor(rand() * 64 * 1024); // small files
  if (pick < 0.97) return Math.floor(rand() * 100 * MIB);
  return Math.floor(rand() * 5 * 1024 * MIB);
}

/** What `benchObjects` produces, for the bench's own description of the data. */
export const DATA_DESCRIPTION =
  "versioned bucket; ~8% of keys with 2 versions, ~2% delete markers; keys in folders (logs/, images/, " +
  "warehouse/ partitions, backups/, names with spaces and parentheses, ~3% non-ASCII); sizes 0 B..5 GiB; " +
  "80% STANDARD, rest IA/IT/GLACIER/GLACIER_IR/DEEP_ARCHIVE; large objects ~10% multipart";

/** SeedObjects until `versions` versions exist: same-key entries in a row become older/newer versions. */
export function* benchObjects(versions) {
  const rand = random(20240715);
  const etag = () => {
    let s = "";
    for (let j = 0; j < 32; j++) s += HEX[Math.floor(rand() * 16)];
    return s;
  };
  let produced = 0;
  for (let i = 0; produced < versions; i++) {
    const key = keyOf(i, rand);
    const extra = rand();
    const older = extra < 0.08 ? 1 : 0;
    const deleted = extra > 0.98;
    const count = Math.min(versions - produced, 1 + older + (deleted ? 1 : 0));
    for (let v = 0; v < count; v++) {
      const lastModifiedMs = START_MS + Math.floor(rand() * 600 * 86_400_000) + v * 3_600_000;
      if (deleted && v === count - 1 && count > 1) {
        yield { key, deleteMarker: true, lastModifiedMs };
      } else {
        const size = sizeOf(rand);
        const r = rand();
        let storageClass = CLASSES[CLASSES.length - 1][1];
        for (let c = 0, acc = 0; c < CLASSES.length; c++) {
          acc += CLASSES[c][0];
          if (r < acc) {
            storageClass = CLASSES[c][1];
            break;
          }
        }
        if (size > 16 * MIB && rand() < 0.1) {
          const partSize = Math.max(8 * MIB, Math.ceil(size / 20));
          const parts = [];
          for (let left = size; left > 0; left -= partSize) parts.push(Math.min(partSize, left));
          yield { key, size, etag: `${etag()}-${parts.length}`, lastModifiedMs, storageClass, partSizes: parts };
        } else {
          yield { key, size, etag: etag(), lastModifiedMs, storageClass };
        }
      }
      produced++;
    }
  }
}
