import { AbstractStartedContainer, type StartedTestContainer } from "testcontainers";
import type { Profile } from "./inv-emulator-container.js";

/**
 * What the emulator answers for a run (@inv-emulator/inventory's InventoryRun). Declared here, like the control call
 * below, rather than imported from @inv-emulator/inventory or @inv-emulator/testing: those depend on the emulator
 * itself (better-sqlite3, a native addon), which someone running it in a container should not have to install.
 */
export interface InventoryRun {
  runId: string;
  bucket: string;
  id: string;
  status: "succeeded" | "failed";
  /** Why a failed run failed (e.g. the destination policy refused the inventory service). */
  reason?: string;
  destinationBucket?: string;
  manifestKey?: string;
  dataKeys: string[];
  rowCount: number;
  bytes: number;
  [field: string]: unknown;
}

/** A control route answered with an error: `code` is the emulator's (ConfigurationDisabled, NoSuchBucket, ...). */
export class InvEmulatorControlError extends Error {
  override readonly name = "InvEmulatorControlError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A running inv-emulator container: where it listens, a ready S3Client config, the inventory trigger. */
export class StartedInvEmulatorContainer extends AbstractStartedContainer {
  constructor(
    startedTestContainer: StartedTestContainer,
    private readonly profile: Profile,
  ) {
    super(startedTestContainer);
  }

  /** `http://<host>:<mapped port>`, reachable from the test process. */
  getEndpoint(): string {
    return `http://${this.getHost()}:${this.getFirstMappedPort()}`;
  }

  getProfile(): Profile {
    return this.profile;
  }

  /** For `new S3Client(...)`: path-style (the JS SDK would otherwise put the bucket in the hostname), dummy keys. */
  getClientConfig() {
    return {
      endpoint: this.getEndpoint(),
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    };
  }

  /** Runs an inventory configuration now (or as of `at`) and resolves once its report is written. */
  runInventory(input: {
    bucket: string;
    id: string;
    at?: string | number | Date;
    force?: boolean;
  }): Promise<InventoryRun> {
    const { at, ...rest } = input;
    return this.control("POST", "inventory/run", {
      ...rest,
      ...(at !== undefined ? { at: new Date(at).toISOString() } : {}),
    });
  }

  /** The runs so far, oldest first, optionally of one bucket / configuration. */
  async getInventoryRuns(filter: { bucket?: string; id?: string } = {}): Promise<InventoryRun[]> {
    const query = new URLSearchParams(filter as Record<string, string>).toString();
    return (await this.control<{ runs: InventoryRun[] }>("GET", `inventory/runs${query ? `?${query}` : ""}`)).runs;
  }

  private async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.getEndpoint()}/_emulator/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as T & { error?: string; code?: string };
    if (response.ok) return json;
    // Control routes answer errors as JSON {error, code}, S3 errors such as NoSuchBucket included.
    const code = json.code ?? String(response.status);
    const message = `${method} /_emulator/${path}: ${response.status} ${code}: ${json.error ?? response.statusText}`;
    throw new InvEmulatorControlError(response.status, code, message);
  }
}
