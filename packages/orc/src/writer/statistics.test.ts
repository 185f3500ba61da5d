import { describe, expect, it } from "vitest";
import { RANDOM_SCHEMA, type RandomRow, randomRows } from "../../test/random-rows.js";
import { encodeOrc, OrcReader } from "../index.js";
import type { ColumnStatistics } from "../proto/orc-messages.js";

/** Statistics computed the obvious way, independently of the writer's accumulators (spec/orc.md §3.8). */
function expectedStatistics(rows: RandomRow[]): ColumnStatistics[] {
  const present = <K extends keyof RandomRow>(k: K) =>
    rows.map((r) => r[k]).filter((v): v is NonNullable<RandomRow[K]> => v !== null);
  const strings = (values: string[]): ColumnStatistics => {
    const sorted = [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const sum = values.reduce((n, v) => n + Buffer.byteLength(v), 0);
    return {
      numberOfValues: values.length,
      hasNull: values.length < rows.length,
      stringStatistics: values.length
        ? { minimum: sorted[0], maximum: sorted[sorted.length - 1], sum: BigInt(sum) }
        : {},
    };
  };
  const longs = present("n").map((v) => BigInt(v));
  const sum = longs.reduce((a, b) => a + b, 0n);
  const times = present("t").sort((a, b) => a.seconds - b.seconds || a.nanos - b.nanos);
  const ms = (t: { seconds: number; nanos: number }) => BigInt(t.seconds) * 1000n + BigInt(Math.floor(t.nanos / 1e6));
  const first = times[0];
  const last = times[times.length - 1];
  return [
    { numberOfValues: rows.length, hasNull: false },
    strings(present("s")),
    strings(present("few")),
    {
      numberOfValues: longs.length,
      hasNull: longs.length < rows.length,
      intStatistics: longs.length
        ? {
            // biome-ignore lint/complexity/useMathMinMax: Math.min/max do not take bigints
            minimum: longs.reduce((a, b) => (b < a ? b : a)),
            // biome-ignore lint/complexity/useMathMinMax: Math.min/max do not take bigints
            maximum: longs.reduce((a, b) => (b > a ? b : a)),
            sum: sum >= -(2n ** 63n) && sum < 2n ** 63n ? sum : undefined,
          }
        : {},
    },
    {
      numberOfValues: present("b").length,
      hasNull: present("b").length < rows.length,
      bucketStatistics: { count: [present("b").filter(Boolean).length] },
    },
    {
      numberOfValues: times.length,
      hasNull: times.length < rows.length,
      timestampStatistics:
        first && last
          ? {
              minimumUtc: ms(first),
              maximumUtc: ms(last),
              minimumNanos: first.nanos % 1e6 === 0 ? undefined : (first.nanos % 1e6) + 1,
              maximumNanos: last.nanos % 1e6 === 999999 ? undefined : (last.nanos % 1e6) + 1,
            }
          : {},
    },
  ];
}

/** The decoder fills absent fields with undefined; compare what is present. */
const clean = (stats: ColumnStatistics[]) =>
  JSON.parse(JSON.stringify(stats, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)));

describe("statistics: file, stripe and row-group levels agree with an independent computation", () => {
  for (const [seed, nullRate] of [
    [1, 0],
    [2, 0.2],
    [3, 1],
  ] as const) {
    it(`seed ${seed}, null rate ${nullRate}`, () => {
      const rows = randomRows(seed, 4000, nullRate);
      const reader = new OrcReader(
        encodeOrc(rows, { schema: RANDOM_SCHEMA, stripeMaxRows: 1500, rowIndexStride: 500 }),
      );
      expect(clean(reader.statistics)).toEqual(clean(expectedStatistics(rows)));
      reader.stripes.forEach((stripe, s) => {
        const start = reader.stripes.slice(0, s).reduce((n, x) => n + x.numberOfRows, 0);
        const stripeRows = rows.slice(start, start + stripe.numberOfRows);
        expect(clean(reader.metadata?.stripeStats[s] ?? [])).toEqual(clean(expectedStatistics(stripeRows)));
        for (let column = 1; column <= 5; column++) {
          reader.rowIndex(s, column).forEach((entry, g) => {
            const groupRows = stripeRows.slice(g * 500, g * 500 + 500);
            expect(clean([entry.statistics as ColumnStatistics])).toEqual(
              clean([expectedStatistics(groupRows)[column] as ColumnStatistics]),
            );
          });
        }
      });
    });
  }
});
