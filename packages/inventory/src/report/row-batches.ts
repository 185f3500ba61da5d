import type { SnapshotVersion } from "@inv-emulator/s3";
import type { ReportRow } from "./columns.js";

/**
 * Report rows in batches, pulled from a snapshot iterator on demand, so data files can be split at a row
 * count without reading ahead more than one batch. Each pull yields to the event loop, so a long run
 * does not stall other requests.
 */
export class RowBatches {
  private pending: ReportRow[] = [];
  private done = false;

  constructor(
    private readonly source: Iterator<SnapshotVersion>,
    private readonly bucket: string,
    /**
     * 1,000: the rows of a batch live until it is encoded, and at 10,000 they outlived the young generation, so
     * every row was promoted and collected again by full GCs: a 1M-row CSV report peaked at ~240 MB RSS instead
     * of ~160 MB and spent ~0.5 s more CPU (scripts/bench/inventory.mjs). Row groups are the formats' own choice.
     */
    private readonly batchSize = 1_000,
  ) {}

  private fill(): void {
    while (!this.done && this.pending.length < this.batchSize) {
      const next = this.source.next();
      if (next.done) this.done = true;
      else {
        // The snapshot yields a fresh object per row: label it rather than copy it (1M rows per report).
        const row = next.value as ReportRow;
        row.bucket = this.bucket;
        this.pending.push(row);
      }
    }
  }

  /** Whether another row remains (reads ahead at most one batch). */
  hasMore(): boolean {
    this.fill();
    return this.pending.length > 0;
  }

  /** Up to `limit` rows, in batches; `onRows` counts them as they go. */
  async *take(limit: number, onRows: (count: number) => void): AsyncGenerator<ReportRow[]> {
    let left = limit;
    while (left > 0 && this.hasMore()) {
      const batch = this.pending.splice(0, Math.min(left, this.batchSize));
      left -= batch.length;
      onRows(batch.length);
      yield batch;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
