import type { ListCursor } from "../storage/metadata-store.js";

/** One entry of a listing page: a row, or a CommonPrefixes roll-up. */
export type ListingEntry<T> = { row: T; prefix?: undefined } | { prefix: string; row?: undefined };

export interface WalkOptions {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Where to resume: a cursor, or a common prefix to skip entirely. */
  start: ListCursor;
}

// Greater than any valid UTF-8 continuation of a prefix, so `prefix + SKIP` jumps past all keys under it.
const SKIP = "\u{10FFFF}";

/** The cursor that resumes a listing after a whole common prefix. */
export function afterPrefix(prefix: string): ListCursor {
  return { key: prefix + SKIP, inclusive: false };
}

/**
 * Walks rows in key order and rolls keys up into common prefixes, as every S3 listing does.
 * `fetch` reads a batch from the store; `cursorAfter` says where the next batch starts after a row
 * (the key for object listings, the key and version for version listings). Returns up to
 * `maxKeys` entries and whether more exist.
 */
export function walkKeys<T extends { key: string }>(
  options: WalkOptions,
  fetch: (from: ListCursor, limit: number) => T[],
  cursorAfter: (row: T) => ListCursor,
): { entries: ListingEntry<T>[]; truncated: boolean } {
  const { prefix, delimiter, maxKeys } = options;
  // S3 answers max-keys=0 with an empty page that is not truncated, whatever the bucket holds.
  if (maxKeys === 0) return { entries: [], truncated: false };
  const entries: ListingEntry<T>[] = [];
  let cursor = options.start;
  if (prefix && cursor.key < prefix) cursor = { key: prefix, inclusive: true };
  let lastPrefix: string | undefined;
  while (entries.length <= maxKeys) {
    const limit = Math.min(1000, maxKeys + 1 - entries.length) + 1;
    const batch = fetch(cursor, limit);
    let jumped = false;
    let pastPrefix = false;
    for (const row of batch) {
      if (!row.key.startsWith(prefix)) {
        pastPrefix = true;
        break;
      }
      const cut = delimiter ? row.key.indexOf(delimiter, prefix.length) : -1;
      if (cut !== -1) {
        const common = row.key.slice(0, cut + delimiter.length);
        if (common !== lastPrefix) entries.push({ prefix: common });
        lastPrefix = common;
        cursor = afterPrefix(common);
        jumped = true;
        break;
      }
      entries.push({ row });
      cursor = cursorAfter(row);
      if (entries.length > maxKeys) break;
    }
    if (pastPrefix || (!jumped && batch.length < limit)) break;
  }
  const truncated = entries.length > maxKeys;
  return { entries: truncated ? entries.slice(0, maxKeys) : entries, truncated };
}
