/**
 * What column readers need from an integer stream, whichever RLE version wrote it. Values are numbers when
 * they are safe integers and bigints otherwise, so int64 extremes survive.
 */
export interface IntDecoder {
  next(): number | bigint;
  /** Discards values (row-index seeks). */
  skip(count: number): void;
}

export const TWO_32 = 2 ** 32;

/** Zigzag decode of an unsigned 64-bit value held as number (< 2^53) or bigint. */
export function unzigzag(value: number | bigint): number | bigint {
  if (typeof value === "number") return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  return normalize((value >> 1n) ^ -(value & 1n));
}

/** A bigint that fits a safe integer becomes a number. */
export function normalize(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** Reads a value of `width` bits (≤ 64) from an MSB-first bit source that yields ≤ 32 bits at a time. */
export function joinWide(high: number, low: number): number | bigint {
  const v = high * TWO_32 + low;
  return Number.isSafeInteger(v) ? v : (BigInt(high) << 32n) | BigInt(low);
}
