import type { Output } from "./command.js";

/** `[#####.....]  42% 420,000/1,000,000 label` fitted to `width` columns (never wider, never below a bare count). */
export function renderProgress(done: number, total: number, width: number, label = ""): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const counts = `${String(Math.floor(fraction * 100)).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`;
  const text = label ? `${counts} ${label}` : counts;
  // Sized for the longest text (done = total), so the bar does not shrink as the count grows.
  const longest = `100% ${total.toLocaleString("en-US")}/${total.toLocaleString("en-US")}${label ? ` ${label}` : ""}`;
  const barWidth = Math.min(40, width - longest.length - 3);
  // Too narrow for a bar: the label may be cut, the count never (a cut number would misreport it).
  if (barWidth < 5) return text.slice(0, Math.max(width, counts.length));
  const filled = Math.round(fraction * barWidth);
  return `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}] ${text}`;
}

/**
 * Progress of long work: redrawn in place on a terminal, or, when output is piped, one plain line per
 * tenth so logs stay readable. Silent under --json.
 */
export function createProgress(output: Output, total: number, label: string, silent = false) {
  let lastTenth = -1;
  return {
    update(done: number) {
      if (silent) return;
      if (output.isTTY) {
        process.stdout.write(`\r${renderProgress(done, total, output.columns ?? 80, label)}`);
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        output.log(renderProgress(done, total, 80, label));
      }
    },
    finish() {
      if (!silent && output.isTTY) process.stdout.write("\n");
    },
  };
}
