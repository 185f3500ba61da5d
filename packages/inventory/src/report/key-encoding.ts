/**
 * Keys in CSV and TSV reports are form-URL-encoded (spec/inventory.md §2.7, DESIGN.md): space becomes `+`,
 * `A-Za-z0-9 . - _ * /` stay, every other UTF-8 byte is `%XX` upper-case. Consumers decode with unquote_plus.
 */
export function formUrlEncode(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/")
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
