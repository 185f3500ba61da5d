import { decodeSnapshotPage, encodeSnapshotPage, type SnapshotPage } from "@inv-emulator/s3";

/**
 * A snapshot's pages, pulled on demand, so that data files can be split at a row count without reading ahead
 * more than one page. A page that straddles a split is cut in two (decoded and encoded again: only files split by
 * `maxRowsPerFile` pay for it). Each pull yields to the event loop, so a long run does not stall other requests.
 */
export class PageBatches {
  private pending: SnapshotPage | undefined;
  private done = false;

  constructor(private readonly source: Iterator<SnapshotPage>) {}

  private fill(): void {
    while (!this.done && !this.pending) {
      const next = this.source.next();
      if (next.done) this.done = true;
      else if (next.value.rows > 0) this.pending = next.value;
    }
  }

  /** Whether another row remains (reads ahead at most one page). */
  hasMore(): boolean {
    this.fill();
    return this.pending !== undefined;
  }

  /** Pages holding up to `limit` rows in all; `onRows` counts them as they go. */
  async *take(limit: number, onRows: (count: number) => void): AsyncGenerator<SnapshotPage> {
    let left = limit;
    while (left > 0 && this.hasMore()) {
      let page = this.pending as SnapshotPage;
      this.pending = undefined;
      if (page.rows > left) {
        const versions = decodeSnapshotPage(page.json);
        this.pending = encodeSnapshotPage(versions.slice(left));
        page = encodeSnapshotPage(versions.slice(0, left));
      }
      left -= page.rows;
      onRows(page.rows);
      yield page;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
