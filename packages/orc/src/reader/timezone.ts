import { ORC_EPOCH_UTC } from "../encoding/timestamp-nanos.js";
import { OrcError } from "../errors.js";

const UTC_NAMES = new Set([
  "",
  "UTC",
  "GMT",
  "Z",
  "Etc/UTC",
  "Etc/GMT",
  "Etc/UCT",
  "UCT",
  "Etc/Zulu",
  "Zulu",
  "Etc/Universal",
  "Universal",
]);

/**
 * Turns a timestamp's DATA seconds into wall-clock seconds, as Apache readers show them (spec/orc.md §3.4).
 * DATA counts from 2015-01-01 00:00:00 in the writer's zone; for a zone other than UTC the instant is shifted by
 * that zone's offset at the instant, which gives the wall clock the writer saw (what orc-contents prints in UTC).
 * An absent writer_timezone is read as UTC (liborc would use the reader machine's zone instead).
 */
export function wallClockConverter(writerTimezone: string | undefined): (dataSeconds: number) => number {
  const zone = writerTimezone ?? "";
  if (UTC_NAMES.has(zone)) return (data) => data + ORC_EPOCH_UTC;
  const offsetAt = zoneOffset(zone);
  const cache = new Map<number, number>();
  const offset = (instant: number): number => {
    // Offsets are cached per half hour when the same at both ends of it; transitions are computed exactly.
    const bucket = Math.floor(instant / 1800);
    let value = cache.get(bucket);
    if (value === undefined) {
      const start = offsetAt(bucket * 1800);
      value = start === offsetAt(bucket * 1800 + 1799) ? start : Number.NaN;
      cache.set(bucket, value);
    }
    return Number.isNaN(value) ? offsetAt(instant) : value;
  };
  const firstGuess = ORC_EPOCH_UTC - offsetAt(ORC_EPOCH_UTC);
  const base = ORC_EPOCH_UTC - offsetAt(firstGuess);
  return (data) => {
    const instant = data + base;
    return instant + offset(instant);
  };
}

function zoneOffset(zone: string): (instant: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch (error) {
    throw new OrcError("UNSUPPORTED", `Unknown writer timezone "${zone}"`, { cause: error });
  }
  return (instant) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(instant * 1000))) parts[part.type] = part.value;
    const year = parts.era === "BC" || parts.era === "B" ? 1 - Number(parts.year) : Number(parts.year);
    const date = new Date(0);
    date.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
    date.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
    return date.getTime() / 1000 - instant;
  };
}
