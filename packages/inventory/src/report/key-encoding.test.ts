// CSV/TSV key encoding (spec/inventory.md §2.7, DESIGN.md): form-URL encoding, space as `+`, `A-Za-z0-9 . - _ * /`
// kept, every other UTF-8 byte `%XX` in upper case; `unquote_plus` (form decoding) gives the key back.
import { describe, expect, it } from "vitest";
import { formUrlEncode } from "./key-encoding.js";

/** Form decoding, as Python's unquote_plus and Spark's url_decode do it. */
const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));

describe("formUrlEncode", () => {
  it("keeps letters, digits, . - _ * and /", () => {
    const kept = "AZaz09.-_*/csvDataset/titles.csv";
    expect(formUrlEncode(kept)).toBe(kept);
  });

  it("space becomes +, and + itself %2B", () => {
    expect(formUrlEncode("my file+1.txt")).toBe("my+file%2B1.txt");
    expect(formUrlEncode("a  b")).toBe("a++b");
  });

  it("encodes what encodeURIComponent would leave: ~ ! ' ( )", () => {
    expect(formUrlEncode("~!'()")).toBe("%7E%21%27%28%29");
  });

  it("encodes reserved and control characters with upper-case hex", () => {
    expect(formUrlEncode('%"&,;=?#:@\t\n\r\\')).toBe("%25%22%26%2C%3B%3D%3F%23%3A%40%09%0A%0D%5C");
  });

  it("encodes each UTF-8 byte of non-ASCII characters", () => {
    expect(formUrlEncode("é")).toBe("%C3%A9");
    expect(formUrlEncode("😀")).toBe("%F0%9F%98%80");
    expect(formUrlEncode("日本")).toBe("%E6%97%A5%E6%9C%AC");
  });

  it("never leaves a byte that form decoding would change, so every key round-trips", () => {
    const keys = ["plain", "a b+c%d", 'quote"comma,tab\tnl\n', "é😀日本/ü", "%2B+%20", "*.-_~", "\u0001\u007f"];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 200; i++)
      keys.push(Array.from({ length: 12 }, () => String.fromCodePoint((next() % 0x2fff) + 1)).join(""));
    for (const key of keys) {
      const encoded = formUrlEncode(key);
      expect(encoded).toMatch(/^[A-Za-z0-9.\-_*/+%]*$/);
      expect(encoded).not.toMatch(/%[0-9a-f]?[a-f]/); // hex digits upper-case
      expect(formDecode(encoded)).toBe(key);
    }
  });
});
