// The progress bar independent of any terminal: every width from narrow to wide, empty to ten-million totals.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Output } from "./command.js";
import { createProgress, renderProgress } from "./progress.js";

const WIDTHS = [20, 40, 80, 200];
const TOTALS = [0, 1, 10 ** 7];
const LABELS = ["", "objects into s3://seeded"];

/** The count alone, as renderProgress prints it without bar and label. */
const bareCount = (done: number, total: number) => {
  const percent = total > 0 ? Math.floor((Math.min(done, total) / total) * 100) : 100;
  return `${String(percent).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`;
};

/** Points along the way: start, thirds, one before the end, the end. */
const steps = (total: number) => [
  ...new Set([0, Math.floor(total / 3), Math.floor((2 * total) / 3), Math.max(0, total - 1), total]),
];

describe("renderProgress", () => {
  for (const width of WIDTHS) {
    for (const total of TOTALS) {
      for (const label of LABELS) {
        it(`width ${width}, total ${total}${label ? ", with a label" : ""}: fits, shows the count whole`, () => {
          for (const done of steps(total)) {
            const line = renderProgress(done, total, width, label);
            const count = bareCount(done, total);
            if (width >= count.length) expect(line.length, line).toBeLessThanOrEqual(width);
            expect(line, `width ${width}`).toContain(count);
            expect(line).not.toMatch(/[\r\n]/);
          }
        });
      }
    }
  }

  it("the bar is proportional to done/total and full at the end", () => {
    for (const width of [80, 200]) {
      for (const total of [1, 10, 10 ** 7]) {
        for (const done of steps(total)) {
          const match = /^\[(#*)(\.*)\] /.exec(renderProgress(done, total, width));
          expect(match, `${done}/${total} at ${width}`).not.toBeNull();
          const [filled, empty] = [match![1]!.length, match![2]!.length];
          expect(Math.abs(filled / (filled + empty) - done / total)).toBeLessThanOrEqual(0.5 / (filled + empty) + 1e-9);
        }
        expect(renderProgress(total, total, width)).toMatch(/^\[#+\] 100% /);
        expect(renderProgress(0, total, width)).toMatch(/^\[\.+\] {3}0% 0\//);
      }
    }
  });

  it("the bar keeps its width while the count grows (sized for the end)", () => {
    const bars = steps(10 ** 7).map(
      (done) => /^\[[#.]*\]/.exec(renderProgress(done, 10 ** 7, 80, "objects"))?.[0].length,
    );
    expect(new Set(bars).size).toBe(1);
    expect(bars[0]).toBeGreaterThanOrEqual(7);
  });

  it("100% only at the end: one short of ten million is 99%; an empty total is complete", () => {
    expect(renderProgress(10 ** 7 - 1, 10 ** 7, 200)).toContain(" 99% 9,999,999/10,000,000");
    expect(renderProgress(10 ** 7, 10 ** 7, 200)).toContain("100% 10,000,000/10,000,000");
    expect(renderProgress(0, 0, 80)).toContain("100% 0/0");
    expect(renderProgress(0, 1, 80)).toContain("  0% 0/1");
  });

  it("at most 40 bar cells on a wide terminal; none when the bar would be under 5 cells", () => {
    expect(renderProgress(5, 10, 200)).toMatch(/^\[#{20}\.{20}\] {2}50% 5\/10$/);
    expect(renderProgress(5, 10, 15)).toBe(" 50% 5/10");
    // Too narrow even for the count: the label goes, the number is never cut.
    expect(renderProgress(10 ** 7, 10 ** 7, 20, "objects")).toBe("100% 10,000,000/10,000,000");
  });
});

interface Recorded {
  output: Output;
  lines: string[];
}

function recorder(isTTY: boolean, columns?: number): Recorded {
  const lines: string[] = [];
  return {
    lines,
    output: { log: (line) => lines.push(line), error: (line) => lines.push(`ERR ${line}`), isTTY, columns },
  };
}

describe("createProgress without a terminal (piped output)", () => {
  it.each([0, 1, 7, 1000, 10 ** 7])(
    "total %i: at most 11 plain lines however many updates, the last one 100%%",
    (total) => {
      const { output, lines } = recorder(false);
      const progress = createProgress(output, total, "objects");
      const updates = Math.min(total, 100_000);
      for (let i = 0; i <= updates; i++) progress.update(Math.round((i / Math.max(updates, 1)) * total));
      for (let i = 0; i < 50; i++) progress.update(total);
      progress.finish();
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(11);
      for (const line of lines) {
        expect(line).not.toMatch(/[\r\n]/);
        expect(line.length).toBeLessThanOrEqual(80);
      }
      expect(lines.at(-1)).toContain(`100% ${total.toLocaleString("en-US")}/${total.toLocaleString("en-US")} objects`);
    },
  );

  it("one line per tenth reached, in order", () => {
    const { output, lines } = recorder(false);
    const progress = createProgress(output, 100, "x");
    for (let done = 0; done <= 100; done++) progress.update(done);
    expect(lines.map((line) => Number(/(\d+)% /.exec(line)?.[1]))).toEqual([
      0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100,
    ]);
  });

  it("silent (--json) prints nothing", () => {
    const { output, lines } = recorder(false);
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const progress = createProgress(output, 10, "x", true);
    for (let done = 0; done <= 10; done++) progress.update(done);
    progress.finish();
    expect(lines).toEqual([]);
    expect(write).not.toHaveBeenCalled();
  });
});

describe("createProgress on a terminal", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function frames(columns: number | undefined, total: number, updates: number[]) {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const { output, lines } = recorder(true, columns);
    const progress = createProgress(output, total, "objects into s3://big");
    for (const done of updates) progress.update(done);
    progress.finish();
    vi.restoreAllMocks();
    return { written, lines };
  }

  it.each([40, 80, 200])("redraws in place with \\r frames no wider than %i columns, then ends the line", (columns) => {
    const { written, lines } = frames(columns, 10 ** 6, [0, 250_000, 500_000, 1_000_000]);
    expect(lines).toEqual([]);
    expect(written.at(-1)).toBe("\n");
    const drawn = written.slice(0, -1);
    expect(drawn).toHaveLength(4);
    for (const frame of drawn) {
      expect(frame.startsWith("\r")).toBe(true);
      expect(frame.slice(1)).not.toMatch(/[\r\n]/);
      expect(frame.length - 1).toBeLessThanOrEqual(columns);
    }
    expect(drawn[1]).toContain(" 25% 250,000/1,000,000");
    expect(drawn[3]).toContain("100% 1,000,000/1,000,000");
  });

  it("an unknown terminal width draws for 80 columns", () => {
    const { written } = frames(undefined, 10, [10]);
    expect(written[0]).toBe(`\r${renderProgress(10, 10, 80, "objects into s3://big")}`);
  });
});
