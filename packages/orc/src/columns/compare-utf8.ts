/**
 * Compares two strings in UTF-8 byte order (= Unicode code point order) without encoding them.
 * spec/orc.md §3.8: JS `<` compares UTF-16 code units, which puts U+E000..U+FFFF after astral characters
 * (surrogates 0xD800..0xDFFF); remapping the first differing unit fixes that.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return remap(x) - remap(y);
  }
  return a.length - b.length;
}

function remap(unit: number): number {
  if (unit < 0xd800) return unit;
  // Surrogates (astral code points) sort after every BMP character in UTF-8; shift the rest down to make room.
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
