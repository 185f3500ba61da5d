/**
 * Timestamp value encoding (spec/orc.md §3.4): DATA holds seconds relative to 2015-01-01 00:00:00 in the
 * writer timezone (always UTC here), SECONDARY holds the nanos with their trailing decimal zeros folded away.
 */

/** 2015-01-01T00:00:00Z in epoch seconds: the ORC timestamp base when writer_timezone is UTC. */
export const ORC_EPOCH_UTC = 1420070400;

/**
 * spec/orc.md §3.4 "DATA value": the seconds as the Java writer truncates them (toward zero, not floor), which
 * readers undo with `if (secs < 0 && nanos > 999999) secs -= 1`.
 */
export function encodeTimestampSeconds(seconds: number, nanos: number): number {
  return (seconds < 0 && nanos > 999999 ? seconds + 1 : seconds) - ORC_EPOCH_UTC;
}

/** spec/orc.md §3.4 "SECONDARY (formatNano)": `nanos << 3` or `(n << 3) | z` with z-1 trailing zeros dropped after /100. */
export function encodeNanos(nanos: number): number {
  if (nanos === 0) return 0;
  if (nanos % 100 !== 0) return nanos * 8;
  let n = nanos / 100;
  let zeros = 1;
  while (n % 10 === 0 && zeros < 7) {
    n /= 10;
    zeros++;
  }
  return n * 8 + zeros;
}

/** Inverse of encodeNanos: `(v >> 3) * 10^(z+1)` when z = v & 7 is not 0. */
export function decodeNanos(encoded: number): number {
  const zeros = encoded % 8;
  const n = Math.floor(encoded / 8);
  return zeros === 0 ? n : n * 10 ** (zeros + 1);
}
