import { type InventoryOptions, InventoryService } from "@inv-emulator/inventory";
import type { S3rverHost, S3rverInventoryRun } from "./s3rver-host.js";

/**
 * The engine's InventoryService over s3rver. Each run first reads, through s3rver's store, what the host must
 * answer synchronously: the bucket names and a listing of the source bucket (the run's snapshot). Runs are
 * serialized here, so each listing is taken just before its run, after the previous run's report was written.
 * Scheduled runs (`realtime`) go through advanceClock, so through the same preparation.
 */
export class S3rverInventoryService extends InventoryService {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly s3rver: S3rverHost,
    options: InventoryOptions = {},
  ) {
    super(s3rver, options);
  }

  /** Runs one configuration now (or as of `at`); the record carries `warnings` when IncludedObjectVersions is All. */
  override run(input: {
    bucket: string;
    id: string;
    at?: Date | number | string;
    force?: boolean;
  }): Promise<S3rverInventoryRun> {
    return this.exclusive(async () => {
      await this.s3rver.prepareSnapshots([input.bucket]);
      return this.s3rver.storedRun(await super.run(input));
    });
  }

  /**
   * Every run due up to `to`. The listings are taken once, before the first of them: a report written into a
   * bucket that another due run inventories is not in that run's report.
   */
  override advanceClock(to: Date | number | string): Promise<S3rverInventoryRun[]> {
    return this.exclusive(async () => {
      const configured = this.s3rver.bucketNames().filter((bucket) => this.s3rver.configurations.count(bucket) > 0);
      await this.s3rver.prepareSnapshots(configured);
      return (await super.advanceClock(to)).map((run) => this.s3rver.storedRun(run));
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(async () => {
      try {
        await this.s3rver.refreshBuckets();
        return await work();
      } finally {
        this.s3rver.releaseSnapshots();
      }
    });
    this.turn = result.catch(() => {});
    return result;
  }
}
