import type { ColumnStatistics } from "../proto/orc-messages.js";
import { compareUtf8 } from "./compare-utf8.js";

/**
 * Column statistics as the writer accumulates them: one accumulator per row group, merged into the stripe's,
 * merged into the file's (spec/orc.md §3.8). `toMessage()` gives the protobuf shape.
 */
export interface Statistics {
  count: number;
  hasNull: boolean;
  merge(other: Statistics): void;
  toMessage(): ColumnStatistics;
}

/** The root struct and any column type without specific statistics: counts only. */
export class CountStatistics implements Statistics {
  count = 0;
  hasNull = false;

  merge(other: Statistics): void {
    this.count += other.count;
    this.hasNull ||= other.hasNull;
  }

  toMessage(): ColumnStatistics {
    return { numberOfValues: this.count, hasNull: this.hasNull };
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** bigint columns: min, max and sum; the sum is dropped when it leaves int64 (spec/orc.md §3.8). */
export class IntegerStatistics extends CountStatistics {
  minimum: number | bigint | undefined;
  maximum: number | bigint | undefined;
  sum: number | bigint = 0;

  update(value: number | bigint): void {
    this.count++;
    if (this.minimum === undefined || value < this.minimum) this.minimum = value;
    if (this.maximum === undefined || value > this.maximum) this.maximum = value;
    this.add(value);
  }

  private add(value: number | bigint): void {
    if (typeof this.sum === "number" && typeof value === "number") {
      const next = this.sum + value;
      if (Number.isSafeInteger(next)) {
        this.sum = next;
        return;
      }
    }
    this.sum = BigInt(this.sum) + BigInt(value);
  }

  override merge(other: Statistics): void {
    super.merge(other);
    const o = other as IntegerStatistics;
    if (o.minimum !== undefined && (this.minimum === undefined || o.minimum < this.minimum)) this.minimum = o.minimum;
    if (o.maximum !== undefined && (this.maximum === undefined || o.maximum > this.maximum)) this.maximum = o.maximum;
    this.add(o.sum);
  }

  override toMessage(): ColumnStatistics {
    const sum = BigInt(this.sum);
    const ints =
      this.minimum === undefined
        ? {}
        : {
            minimum: BigInt(this.minimum),
            maximum: BigInt(this.maximum as number | bigint),
            sum: sum < INT64_MIN || sum > INT64_MAX ? undefined : sum,
          };
    return { ...super.toMessage(), intStatistics: ints };
  }
}

/** string columns: min and max in UTF-8 byte order, sum of UTF-8 byte lengths. */
export class StringStatistics extends CountStatistics {
  minimum: string | undefined;
  maximum: string | undefined;
  sum = 0;

  /** For callers that know min/max already (dictionary ranks) and just add counts. */
  addRange(minimum: string, maximum: string, count: number, bytes: number): void {
    if (this.minimum === undefined || compareUtf8(minimum, this.minimum) < 0) this.minimum = minimum;
    if (this.maximum === undefined || compareUtf8(maximum, this.maximum) > 0) this.maximum = maximum;
    this.count += count;
    this.sum += bytes;
  }

  update(value: string, bytes: number): void {
    this.count++;
    this.sum += bytes;
    if (this.minimum === undefined) {
      this.minimum = value;
      this.maximum = value;
    } else if (value !== this.minimum && value !== this.maximum) {
      if (compareUtf8(value, this.minimum) < 0) this.minimum = value;
      else if (compareUtf8(value, this.maximum as string) > 0) this.maximum = value;
    }
  }

  override merge(other: Statistics): void {
    const o = other as StringStatistics;
    if (o.minimum !== undefined) this.addRange(o.minimum, o.maximum as string, 0, o.sum);
    super.merge(other);
  }

  override toMessage(): ColumnStatistics {
    const strings =
      this.minimum === undefined ? {} : { minimum: this.minimum, maximum: this.maximum, sum: BigInt(this.sum) };
    return { ...super.toMessage(), stringStatistics: strings };
  }
}

/** boolean columns: the number of true values (bucket_statistics.count = [trueCount]). */
export class BooleanStatistics extends CountStatistics {
  trueCount = 0;

  update(value: boolean): void {
    this.count++;
    if (value) this.trueCount++;
  }

  override merge(other: Statistics): void {
    super.merge(other);
    this.trueCount += (other as BooleanStatistics).trueCount;
  }

  override toMessage(): ColumnStatistics {
    return { ...super.toMessage(), bucketStatistics: { count: [this.trueCount] } };
  }
}

/** timestamp columns: min and max kept as (seconds, nanos) so no precision is lost before the message. */
export class TimestampStatistics extends CountStatistics {
  minSeconds = 0;
  minNanos = 0;
  maxSeconds = 0;
  maxNanos = 0;

  update(seconds: number, nanos: number): void {
    if (this.count === 0 || seconds < this.minSeconds || (seconds === this.minSeconds && nanos < this.minNanos)) {
      this.minSeconds = seconds;
      this.minNanos = nanos;
    }
    if (this.count === 0 || seconds > this.maxSeconds || (seconds === this.maxSeconds && nanos > this.maxNanos)) {
      this.maxSeconds = seconds;
      this.maxNanos = nanos;
    }
    this.count++;
  }

  override merge(other: Statistics): void {
    const o = other as TimestampStatistics;
    if (o.count > 0) {
      const count = this.count;
      this.update(o.minSeconds, o.minNanos);
      this.update(o.maxSeconds, o.maxNanos);
      this.count = count;
    }
    super.merge(other);
  }

  /**
   * spec/orc.md §3.4 "Statistics": minimum_utc/maximum_utc = floor(epoch ms). The sub-millisecond nanos are stored
   * + 1 and, like liborc, only when they narrow the bound (min: not 0; max: not 999999).
   */
  override toMessage(): ColumnStatistics {
    if (this.count === 0) return { ...super.toMessage(), timestampStatistics: {} };
    const minSub = this.minNanos % 1_000_000;
    const maxSub = this.maxNanos % 1_000_000;
    return {
      ...super.toMessage(),
      timestampStatistics: {
        minimumUtc: BigInt(this.minSeconds) * 1000n + BigInt(Math.floor(this.minNanos / 1_000_000)),
        maximumUtc: BigInt(this.maxSeconds) * 1000n + BigInt(Math.floor(this.maxNanos / 1_000_000)),
        minimumNanos: minSub === 0 ? undefined : minSub + 1,
        maximumNanos: maxSub === 999_999 ? undefined : maxSub + 1,
      },
    };
  }
}
