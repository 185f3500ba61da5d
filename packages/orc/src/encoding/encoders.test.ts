import { describe, expect, it } from "vitest";
import { prng, randomLong } from "../../test/random-rows.js";
import { compareUtf8 } from "../columns/compare-utf8.js";
import { BooleanDecoder, ByteRleDecoder } from "../decoding/byte-rle-decoder.js";
import { RleV1Decoder } from "../decoding/rle-v1-decoder.js";
import { RleV2Decoder } from "../decoding/rle-v2-decoder.js";
import { ByteReader } from "../io/byte-reader.js";
import { ByteSink } from "../io/byte-sink.js";
import { BooleanRleEncoder } from "./boolean-rle.js";
import { ByteRleEncoder } from "./byte-rle.js";
import { RleV2Encoder } from "./rle-v2-encoder.js";
import { decodeNanos, encodeNanos } from "./timestamp-nanos.js";

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");
const bytesOf = (text: string) => Buffer.from(text.replace(/ /g, ""), "hex");

function rleV2(values: (number | bigint)[], signed: boolean): Buffer {
  const sink = new ByteSink();
  const encoder = new RleV2Encoder(sink, signed);
  for (const v of values) encoder.write(v);
  encoder.flush();
  return sink.toBytes();
}

function readRleV2(bytes: Uint8Array, count: number, signed: boolean): (number | bigint)[] {
  const decoder = new RleV2Decoder(new ByteReader(bytes, "test"), signed);
  return Array.from({ length: count }, () => decoder.next());
}

describe("byte RLE and boolean RLE (spec/orc.md §3.5 examples)", () => {
  const byteRle = (values: number[]) => {
    const sink = new ByteSink();
    const e = new ByteRleEncoder(sink);
    for (const v of values) e.write(v);
    e.flush();
    return hex(sink.view());
  };
  const booleanRle = (values: boolean[]) => {
    const sink = new ByteSink();
    const e = new BooleanRleEncoder(sink);
    for (const v of values) e.write(v);
    e.finish();
    return hex(sink.view());
  };

  it("encodes the spec examples", () => {
    expect(byteRle(new Array(100).fill(0))).toBe("61 00");
    expect(byteRle([0x44, 0x45])).toBe("fe 44 45");
    expect(booleanRle([true, ...new Array(7).fill(false), true])).toBe("fe 80 80");
    expect(booleanRle([true, false, true])).toBe("ff a0");
  });

  it("round-trips random byte runs and bits", () => {
    const rand = prng(5);
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: Math.floor(rand() * 2000) }, () =>
        rand() < 0.7 ? 7 : Math.floor(rand() * 256),
      );
      const sink = new ByteSink();
      const e = new ByteRleEncoder(sink);
      for (const v of values) e.write(v);
      e.flush();
      const d = new ByteRleDecoder(new ByteReader(sink.view(), "t"));
      expect(values.map(() => d.next())).toEqual(values);
      const bits = values.map((v) => v % 2 === 1);
      const bitSink = new ByteSink();
      const be = new BooleanRleEncoder(bitSink);
      for (const b of bits) be.write(b);
      be.finish();
      expect(new BooleanDecoder(new ByteReader(bitSink.view(), "t")).read(bits.length)).toEqual(bits);
    }
  });
});

describe("integer RLE v2 (spec/orc.md §3.5)", () => {
  it("DIRECT: the spec example, byte for byte", () => {
    expect(hex(rleV2([23713, 43806, 57005, 48879], false))).toBe("5e 03 5c a1 ab 1e de ad be ef");
  });

  it("SHORT_REPEAT: 5 x 10000", () => {
    expect(hex(rleV2(new Array(5).fill(10000), false))).toBe("0a 27 10");
  });

  it("DELTA: a fixed-delta run and a monotonic block", () => {
    // 1..100: fixed delta 1 -> header c0 63, base 1, delta 1 (zigzag 2), no packed deltas.
    expect(
      hex(
        rleV2(
          Array.from({ length: 100 }, (_, i) => i + 1),
          false,
        ),
      ),
    ).toBe("c0 63 01 02");
    const primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];
    expect(rleV2(primes, false)[0]! >> 6).toBe(3);
    expect(readRleV2(rleV2(primes, false), 10, false)).toEqual(primes);
  });

  it("decodes the spec's own examples, including PATCHED_BASE", () => {
    expect(readRleV2(bytesOf("46 04 01 23 40"), 5, true)).toEqual([0, -1, 1, -2, 2]);
    expect(readRleV2(bytesOf("c6 09 02 02 22 42 42 46"), 10, false)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    const patched = bytesOf("8e 13 2b 21 07 d0 1e 00 14 70 28 32 3c 46 50 5a 64 6e 78 82 8c 96 a0 aa b4 be fc e8");
    expect(readRleV2(patched, 20, false)).toEqual([
      2030, 2000, 2020, 1000000, 2040, 2050, 2060, 2070, 2080, 2090, 2100, 2110, 2120, 2130, 2140, 2150, 2160, 2170,
      2180, 2190,
    ]);
  });

  it("round-trips random signed and unsigned sequences, int64 extremes included", () => {
    const rand = prng(11);
    for (let trial = 0; trial < 200; trial++) {
      const signed = trial % 2 === 0;
      const length = 1 + Math.floor(rand() * 1500);
      const shape = trial % 4;
      let prev = 0;
      const values = Array.from({ length }, () => {
        if (shape === 0) return randomLong(rand);
        if (shape === 1) {
          prev += Math.floor(rand() * 1000);
          return prev;
        }
        if (shape === 2) return rand() < 0.6 ? 42 : Math.floor(rand() * 50);
        prev -= Math.floor(rand() * 3);
        return prev;
      });
      const input = signed ? values : values.map((v) => (typeof v === "bigint" ? (v < 0n ? -v : v) : Math.abs(v)));
      const expected = input.map((v) =>
        typeof v === "bigint" && v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v,
      );
      expect(readRleV2(rleV2(input, signed), input.length, signed)).toEqual(expected);
    }
  });
});

describe("integer RLE v1 (format 0.11 files)", () => {
  it("decodes the spec examples", () => {
    const d = new RleV1Decoder(new ByteReader(bytesOf("61 00 07"), "t"), false);
    expect(Array.from({ length: 100 }, () => d.next())).toEqual(new Array(100).fill(7));
    const d2 = new RleV1Decoder(new ByteReader(bytesOf("fb 02 03 06 07 0b"), "t"), false);
    expect(Array.from({ length: 5 }, () => d2.next())).toEqual([2, 3, 6, 7, 11]);
  });
});

describe("timestamp nanos and UTF-8 order", () => {
  it("folds trailing zeros as spec/orc.md §3.4 says", () => {
    expect(encodeNanos(1000)).toBe(0x0a);
    expect(encodeNanos(100000)).toBe(0x0c);
    expect(encodeNanos(123000000)).toBe((123 << 3) | 5);
    for (const nanos of [0, 1, 100, 999999999, 900000000, 1000, 123456789, 500000000, 10])
      expect(decodeNanos(encodeNanos(nanos))).toBe(nanos);
  });

  it("compares strings as UTF-8 bytes, not UTF-16 units", () => {
    expect("\uFF21" < "\u{1F600}").toBe(false);
    expect(compareUtf8("\uFF21", "\u{1F600}")).toBeLessThan(0);
    const rand = prng(3);
    const words = Array.from({ length: 300 }, () =>
      String.fromCodePoint(
        ...Array.from(
          { length: 1 + Math.floor(rand() * 3) },
          () => [0x41, 0xe9, 0x4e2d, 0xff21, 0x1f600][Math.floor(rand() * 5)] as number,
        ),
      ),
    );
    const byBytes = [...words].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...words].sort(compareUtf8)).toEqual(byBytes);
  });
});
