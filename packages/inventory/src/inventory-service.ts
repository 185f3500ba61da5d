import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { S3Error } from "@inv-emulator/s3";
import { allConfigurations, findConfiguration } from "./configuration/configuration-api.js";
import {
  destinationBucket,
  type InventoryConfiguration,
  includesAllVersions,
} from "./configuration/inventory-configuration.js";
import type { InventoryHost } from "./host.js";
import { reportInstant } from "./report/layout.js";
import { type ReportOutcome, runReport } from "./report/run-report.js";
import { dueTimes, nextRunTime } from "./schedule.js";

export type ScheduleMode = "manual" | "realtime";

export interface InventoryOptions {
  /** `manual` (default): nothing runs until asked or advanceClock; `realtime`: Daily 01:00 UTC, Weekly on Sunday. */
  schedule?: ScheduleMode;
  /** Split data files after this many rows (default: one file per report). */
  maxRowsPerFile?: number;
}

/** One attempt to deliver a report, successful or not: what `runs()` and `/_emulator/inventory/runs` list. */
export interface InventoryRun {
  runId: string;
  bucket: string;
  id: string;
  status: "succeeded" | "failed";
  /** Why a run failed (e.g. the destination policy refused the inventory service). */
  reason?: string;
  trigger: "manual" | "schedule";
  /** The report instant (ISO), and manifest.json's creationTimestamp (epoch ms). */
  at: string;
  creationTimestamp: number;
  startedAt: string;
  durationMs: number;
  destinationBucket: string;
  fileFormat: string;
  manifestKey?: string;
  checksumKey?: string;
  symlinkKey?: string;
  dataKeys: string[];
  rowCount: number;
  bytes: number;
  /** What the run could not do as Amazon S3 would on this server (empty on the engine). */
  warnings: string[];
}

/** The warning of a run that asks for every version on a host that keeps none (see InventoryHost.keepsVersions). */
export const ALL_VERSIONS_WARNING =
  "IncludedObjectVersions is All, but this server keeps no object versions: the report lists the current objects, " +
  "with empty version ids, as Amazon S3 does for a bucket that was never versioned";

/** What a run of this configuration on this host will not do as Amazon S3 would. */
function runWarnings(host: InventoryHost, configuration: InventoryConfiguration): string[] {
  return includesAllVersions(configuration) && !host.keepsVersions ? [ALL_VERSIONS_WARNING] : [];
}

/** Throws a TypeError for options no service can run with (checked before an emulator starts, too). */
export function validateInventoryOptions(options: InventoryOptions): void {
  const { maxRowsPerFile } = options;
  // Data files are split every maxRowsPerFile rows: anything but a positive whole number would split a report
  // into empty files forever.
  if (maxRowsPerFile !== undefined && !(Number.isInteger(maxRowsPerFile) && maxRowsPerFile > 0))
    throw new TypeError(`maxRowsPerFile must be a positive whole number of rows, not ${maxRowsPerFile}`);
}

/** A run that cannot start: unknown configuration, or a disabled one without `force`. */
export class InventoryRunError extends Error {
  constructor(
    readonly code: "ConfigurationDisabled" | "InvalidRequest",
    message: string,
  ) {
    super(message);
    this.name = "InventoryRunError";
  }
}

/**
 * Runs reports for one host: on demand, on a simulated clock (advanceClock), or in real time. Runs are
 * serialized, recorded (per source bucket, so they survive restarts) and announced with a "run" event.
 */
export class InventoryService extends EventEmitter<{ run: [InventoryRun] }> {
  private queue: Promise<unknown> = Promise.resolve();
  private simulatedNow: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly maxRowsPerFile: number;

  constructor(
    private readonly host: InventoryHost,
    options: InventoryOptions = {},
  ) {
    super();
    validateInventoryOptions(options);
    this.maxRowsPerFile = options.maxRowsPerFile ?? Number.POSITIVE_INFINITY;
    if (options.schedule === "realtime") this.armTimer();
  }

  /** The scheduler's clock: the host's, until advanceClock moves it. */
  now(): number {
    return this.simulatedNow ?? this.host.now();
  }

  /** Runs one configuration now (or as of `at`). A disabled configuration needs `force`. */
  async run(input: {
    bucket: string;
    id: string;
    at?: Date | number | string;
    force?: boolean;
  }): Promise<InventoryRun> {
    const configuration = findConfiguration(this.host, input.bucket, input.id);
    if (!configuration.isEnabled && !input.force) {
      throw new InventoryRunError(
        "ConfigurationDisabled",
        `inventory configuration ${input.id} of ${input.bucket} is disabled (IsEnabled false); pass force: true (CLI: --force) to run it anyway`,
      );
    }
    const at = input.at === undefined ? this.now() : new Date(input.at).getTime();
    if (Number.isNaN(at)) throw new InventoryRunError("InvalidRequest", `not a time: ${String(input.at)}`);
    return this.enqueue(input.bucket, configuration, at, "manual");
  }

  /** Every run due between the clock and `to`, in time order, each with its own instant; then the clock is `to`. */
  async advanceClock(to: Date | number | string): Promise<InventoryRun[]> {
    const target = new Date(to).getTime();
    if (Number.isNaN(target)) throw new InventoryRunError("InvalidRequest", `not a time: ${String(to)}`);
    const from = this.now();
    const due = this.dueBetween(from, target);
    this.simulatedNow = Math.max(from, target);
    return Promise.all(due.map(({ bucket, configuration, at }) => this.enqueue(bucket, configuration, at, "schedule")));
  }

  /** Recorded runs, oldest first, optionally for one bucket and configuration. */
  runs(filter: { bucket?: string; id?: string } = {}): InventoryRun[] {
    const buckets = filter.bucket ? [filter.bucket] : this.host.bucketNames();
    const runs: InventoryRun[] = [];
    for (const bucket of buckets) {
      if (!this.host.bucketExists(bucket)) continue;
      let after = "";
      for (;;) {
        const page = this.host.runRecords.list(bucket, after, 1000);
        // Records written before runs had warnings read as having none.
        for (const row of page)
          runs.push({ warnings: [], ...(JSON.parse(row.body) as Omit<InventoryRun, "warnings">) });
        if (page.length < 1000) break;
        after = page.at(-1)?.id ?? "";
      }
    }
    return runs.filter((run) => !filter.id || run.id === filter.id).sort((a, b) => a.runId.localeCompare(b.runId));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dueBetween(from: number, to: number) {
    const due: { bucket: string; configuration: InventoryConfiguration; at: number }[] = [];
    for (const bucket of this.host.bucketNames()) {
      for (const configuration of allConfigurations(this.host, bucket)) {
        if (!configuration.isEnabled) continue;
        for (const at of dueTimes(configuration, from, to)) due.push({ bucket, configuration, at });
      }
    }
    return due.sort(
      (a, b) => a.at - b.at || a.bucket.localeCompare(b.bucket) || a.configuration.id.localeCompare(b.configuration.id),
    );
  }

  private armTimer(): void {
    const now = this.host.now();
    const next = nextRunTime(now);
    this.timer = setTimeout(() => {
      void this.advanceClock(next).finally(() => {
        this.simulatedNow = undefined;
        if (this.timer) this.armTimer();
      });
    }, next - now);
    this.timer.unref();
  }

  private enqueue(bucket: string, configuration: InventoryConfiguration, at: number, trigger: InventoryRun["trigger"]) {
    const result = this.queue.then(() => this.execute(bucket, configuration, at, trigger));
    this.queue = result.catch(() => {});
    return result;
  }

  private async execute(
    bucket: string,
    configuration: InventoryConfiguration,
    at: number,
    trigger: InventoryRun["trigger"],
  ) {
    const started = Date.now();
    let outcome: ReportOutcome | undefined;
    let reason: string | undefined;
    try {
      outcome = await runReport(this.host, bucket, configuration, at, { maxRowsPerFile: this.maxRowsPerFile });
    } catch (error) {
      reason =
        error instanceof S3Error ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);
    }
    const instant = outcome?.creationTimestamp ?? reportInstant(at);
    const record: InventoryRun = {
      runId: `${String(started).padStart(15, "0")}-${randomUUID().slice(0, 8)}`,
      bucket,
      id: configuration.id,
      status: outcome ? "succeeded" : "failed",
      ...(reason ? { reason } : {}),
      trigger,
      at: new Date(instant).toISOString(),
      creationTimestamp: instant,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      destinationBucket: destinationBucket(configuration),
      fileFormat: configuration.destination.format,
      ...(outcome
        ? { manifestKey: outcome.manifestKey, checksumKey: outcome.checksumKey, symlinkKey: outcome.symlinkKey }
        : {}),
      dataKeys: outcome?.files.map((file) => file.key) ?? [],
      rowCount: outcome?.rowCount ?? 0,
      bytes: outcome?.bytes ?? 0,
      warnings: runWarnings(this.host, configuration),
    };
    if (this.host.bucketExists(bucket)) this.host.runRecords.put(bucket, record.runId, JSON.stringify(record));
    this.emit("run", record);
    return record;
  }
}
