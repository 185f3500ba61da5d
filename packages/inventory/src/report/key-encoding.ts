/** ASCII characters form-URL encoding keeps: `A-Za-z0-9 . - _ * /`. */
const KEPT = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_*/") KEPT[ch.charCodeAt(0)] = 1;
/** What every other ASCII character becomes: `+` for a space, else `%XX` in upper case. */
const ASCII_ENCODED = Array.from({ length: 128 }, (_, code) =>
  code === 32 ? "+" : `%${code.toString(16).toUpperCase().padStart(2, "0")}`,
);

/**
 * Keys in CSV and TSV reports are form-URL-encoded (spec/inventory.md §2.7, DESIGN.md): space becomes `+`,
 * `A-Za-z0-9 . - _ * /` stay, every other UTF-8 byte is `%XX` upper-case. Consumers decode with unquote_plus.
 *
 * One pass with a table, and encodeURIComponent only for runs of non-ASCII characters: encodeURIComponent of
 * the whole key and three replaces took ~0.8 µs a key, 0.8 s of a 1M-row CSV report; this takes ~0.2 µs and
 * returns most keys (`logs/2024/05/app.log`) as they are (scripts/bench/inventory.mjs).
 */
export function formUrlEncode(key: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 128) {
      if (KEPT[code] === 1) continue;
      out += key.slice(from, i) + ASCII_ENCODED[code];
      from = i + 1;
    } else {
      let end = i + 1;
      while (end < key.length && key.charCodeAt(end) >= 128) end++;
      // Percent-encodes each UTF-8 byte in upper case (and throws on a lone surrogate, as before).
      out += key.slice(from, i) + encodeURIComponent(key.slice(i, end));
      from = end;
      i = end - 1;
    }
  }
  return from === 0 ? key : out + key.slice(from);
}
