import { decodeSnapshotPage, encodeSnapshotPage, type SnapshotPage, type SnapshotVersion } from "@inv-emulator/s3";

/**
 * A snapshot's pages, pulled on demand, so that data files can be split at a row count without reading ahead
 * more than one page. A page that straddles a split is decoded once, and its versions handed out a file's share
 * at a time (only files split by `maxRowsPerFile` pay for it; a page holds every version of its keys, so it can be
 * long). Each pull yields to the event loop, so a long run does not stall other requests.
 */
export class PageBatches {
  private pending: SnapshotPage | undefined;
  /** A page cut by a split, decoded, and how much of it is handed out. */
  private cut: SnapshotVersion[] = [];
  private cutAt = 0;
  private done = false;

  constructor(private readonly source: Iterator<SnapshotPage>) {}

  private fill(): void {
    while (!this.done && !this.pending && this.cutAt === this.cut.length) {
      const next = this.source.next();
      if (next.done) this.done = true;
      else if (next.value.rows > 0) this.pending = next.value;
    }
  }

  /** Whether another row remains (reads ahead at most one page). */
  hasMore(): boolean {
    this.fill();
    return this.pending !== undefined || this.cutAt < this.cut.length;
  }

  /** The next page of at most `limit` rows. */
  private next(limit: number): SnapshotPage {
    if (this.cutAt === this.cut.length) {
      const page = this.pending as SnapshotPage;
      this.pending = undefined;
      if (page.rows <= limit) return page;
      this.cut = decodeSnapshotPage(page.json);
      this.cutAt = 0;
    }
    const taken = this.cut.slice(this.cutAt, this.cutAt + limit);
    this.cutAt += taken.length;
    return encodeSnapshotPage(taken);
  }

  /** Pages holding up to `limit` rows in all (a positive whole number); `onRows` counts them as they go. */
  async *take(limit: number, onRows: (count: number) => void): AsyncGenerator<SnapshotPage> {
    let left = limit;
    while (left > 0 && this.hasMore()) {
      const page = this.next(left);
      left -= page.rows;
      onRows(page.rows);
      yield page;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
