import type { OrcTimestamp } from "../src/index.js";

/** Seeded generators for property tests: deterministic per seed, so a failure names its seed. */

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const RANDOM_SCHEMA = "struct<s:string,few:string,n:bigint,b:boolean,t:timestamp>";

export interface RandomRow {
  s: string | null;
  few: string | null;
  n: number | bigint | null;
  b: boolean | null;
  t: OrcTimestamp | null;
}

// ASCII, Latin-1, CJK, private use (U+E000..U+FFFF sorts after astral in UTF-16, before it in UTF-8), astral.
const RANGES: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x4e00, 0x4fff],
  [0xe000, 0xfffd],
  [0x1f300, 0x1f64f],
  [0x10000, 0x10ffff],
];

export function randomString(rand: () => number, maxLength: number): string {
  const length = Math.floor(rand() * rand() * maxLength);
  let out = "";
  for (let i = 0; i < length; i++) {
    const [lo, hi] = RANGES[Math.floor(rand() * RANGES.length)] as [number, number];
    let cp = lo + Math.floor(rand() * (hi - lo + 1));
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
    out += String.fromCodePoint(cp);
  }
  return out;
}

const EDGE_LONGS: (number | bigint)[] = [
  0,
  1,
  -1,
  2 ** 31,
  -(2 ** 31),
  2 ** 52,
  -(2 ** 52),
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  2n ** 53n,
  -(2n ** 53n),
  2n ** 63n - 1n,
  -(2n ** 63n),
  5368709120000,
];

export function randomLong(rand: () => number): number | bigint {
  const pick = rand();
  if (pick < 0.15) return EDGE_LONGS[Math.floor(rand() * EDGE_LONGS.length)] as number | bigint;
  if (pick < 0.3)
    return BigInt.asIntN(64, (BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32)));
  if (pick < 0.6) return Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 53));
  return Math.floor(rand() * 10_000_000);
}

export function randomTimestamp(rand: () => number): OrcTimestamp {
  // 1900..2100, nanos with a random number of trailing zeros (exercises the SECONDARY zero folding).
  const seconds = Math.floor(-2208988800 + rand() * 6311390400);
  const digits = Math.floor(rand() * 10);
  const nanos = Math.floor(rand() * 10 ** digits) * 10 ** (9 - digits);
  // spec/orc.md §3.4: (-1 s, > 999999 ns) is the one value the format cannot hold; tested on its own.
  return seconds === -1 && nanos > 999_999 ? { seconds, nanos: 0 } : { seconds, nanos };
}

export function randomRows(seed: number, count: number, nullRate = 0.1): RandomRow[] {
  const rand = prng(seed);
  const maybe = <T>(make: () => T): T | null => (rand() < nullRate ? null : make());
  const few = ["STANDARD", "GLACIER", "DEEP_ARCHIVE", "", "\uFF21", "\u{1F600}"];
  const rows: RandomRow[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      s: maybe(() => randomString(rand, 40)),
      few: maybe(() => few[Math.floor(rand() * few.length)] as string),
      n: maybe(() => randomLong(rand)),
      b: maybe(() => rand() < 0.5),
      t: maybe(() => randomTimestamp(rand)),
    });
  }
  return rows;
}

/** What the decoder returns for an input row: safe bigints come back as numbers. */
export function expectedRow(row: RandomRow): RandomRow {
  const n = typeof row.n === "bigint" && row.n >= -(2n ** 53n - 1n) && row.n <= 2n ** 53n - 1n ? Number(row.n) : row.n;
  return { ...row, n };
}
