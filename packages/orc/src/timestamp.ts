import { OrcError } from "./errors.js";

/**
 * A timestamp with nanosecond precision: `seconds` = floor(epoch seconds, UTC), `nanos` = 0..999,999,999.
 * The writer also accepts a Date or an ISO-8601-like string; the decoder always returns this shape.
 */
export interface OrcTimestamp {
  seconds: number;
  nanos: number;
}

const TEXT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses `2024-05-06T22:38:00.123456789Z` or `2024-05-06 22:38:00.1` (no zone = UTC). */
export function parseTimestamp(text: string): OrcTimestamp {
  const m = TEXT.exec(text);
  if (!m) throw new OrcError("INVALID_VALUE", `Not a timestamp: "${text}"`);
  const [, y, mo, d, h, mi, s, fraction = "", zone = "Z"] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  let seconds = date.getTime() / 1000;
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    seconds -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return { seconds, nanos: Number(fraction.padEnd(9, "0")) };
}

/** Normalizes what the writer accepts for a timestamp column. */
export function toOrcTimestamp(value: unknown): OrcTimestamp {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new OrcError("INVALID_VALUE", "Invalid Date");
    const seconds = Math.floor(ms / 1000);
    return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
  }
  if (typeof value === "string") return parseTimestamp(value);
  if (typeof value === "object" && value !== null && "seconds" in value && "nanos" in value) {
    const { seconds, nanos } = value as OrcTimestamp;
    if (Number.isSafeInteger(seconds) && Number.isInteger(nanos) && nanos >= 0 && nanos < 1e9)
      return { seconds, nanos };
  }
  throw new OrcError("INVALID_VALUE", `Not a timestamp (Date, ISO string or { seconds, nanos }): ${String(value)}`);
}

/** Milliseconds precision Date of a timestamp (sub-millisecond nanos are dropped). */
export function timestampToDate(ts: OrcTimestamp): Date {
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000));
}

/** `YYYY-MM-DD HH:MM:SS.fffffffff` with trailing zeros dropped (".0" for whole seconds), as orc-contents prints. */
export function formatTimestamp(ts: OrcTimestamp): string {
  const date = new Date(ts.seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const fraction = ts.nanos === 0 ? "0" : pad(ts.nanos, 9).replace(/0+$/, "");
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${fraction}`;
}
