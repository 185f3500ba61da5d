// testcontainers 11.x, not 12.x: every 12.x depends on undici ^8 (engines node >= 22.19) and crashes on Node 20 at
// import (spec/clients.md §2, "testcontainers"); this monorepo supports Node >= 20.19. 11.14 works on Node 20.
import { GenericContainer, Wait } from "testcontainers";
import { StartedInvEmulatorContainer } from "./started-inv-emulator-container.js";

/** The port the image listens on (packages/testcontainers/Dockerfile). */
export const INV_EMULATOR_PORT = 4599;
/** The tag scripts/docker/build-image.sh gives the image; pass another to the constructor for a published one. */
export const DEFAULT_IMAGE = "inv-emulator:local";
/** The volume in the image that holds buckets and objects. */
export const DATA_DIR = "/data";

export type Profile = "aws" | "coreweave";

/** The `--config` file of `inv-emulator start`: users with keys, organization policies, strict authentication. */
export interface EmulatorConfig {
  identities?: { accessKeyId: string; secretAccessKey: string; arn: string; orgId?: string; displayName?: string }[];
  /** CoreWeave organization access policies (JSON text or objects). */
  organizationPolicies?: (string | object)[];
  /** Verify SigV4 signatures and reject unknown access keys. */
  strictAuth?: boolean;
}

const CONFIG_PATH = "/tmp/inv-emulator-config.json";

/**
 * inv-emulator in a container: `new InvEmulatorContainer().withProfile("coreweave").start()`.
 * Ready once GET /_emulator/health answers; data lives in /data (an anonymous volume unless `withDataVolume`).
 */
export class InvEmulatorContainer extends GenericContainer {
  private profile: Profile = "aws";
  private storage: "data-dir" | "in-memory" = "data-dir";
  private schedule: "manual" | "realtime" = "manual";
  private hasConfig = false;

  constructor(image = DEFAULT_IMAGE) {
    super(image);
    this.withExposedPorts(INV_EMULATOR_PORT)
      // abortOnContainerExit: a container that dies at startup fails start() at once, with its last log lines.
      .withWaitStrategy(
        Wait.forHttp("/_emulator/health", INV_EMULATOR_PORT, { abortOnContainerExit: true }).forStatusCode(200),
      )
      .withStartupTimeout(30_000);
  }

  /** The service to imitate: `aws` (default) or `coreweave`. */
  withProfile(profile: Profile): this {
    this.profile = profile;
    return this;
  }

  /**
   * Keeps /data in a named Docker volume (`inv-data`) or a host directory (an absolute path, writable by uid 1000),
   * so a later container on the same volume sees the same buckets. Replaces other `withBindMounts` mounts.
   */
  withDataVolume(source: string): this {
    this.storage = "data-dir";
    return this.withBindMounts([{ source, target: DATA_DIR, mode: "rw" }]);
  }

  /** Keeps everything in memory instead of /data (`--in-memory`). */
  withInMemory(): this {
    this.storage = "in-memory";
    return this;
  }

  /** `realtime` runs Daily/Weekly configurations on the clock; `manual` (default) only when asked. */
  withSchedule(schedule: "manual" | "realtime"): this {
    this.schedule = schedule;
    return this;
  }

  /** Identities, organization policies and strict authentication, as `inv-emulator start --config` reads them. */
  withConfig(config: EmulatorConfig): this {
    this.hasConfig = true;
    return this.withCopyContentToContainer([{ content: JSON.stringify(config), target: CONFIG_PATH, mode: 0o644 }]);
  }

  override async start(): Promise<StartedInvEmulatorContainer> {
    this.withCommand([
      ...(this.storage === "in-memory" ? ["--in-memory"] : ["--data-dir", DATA_DIR]),
      ...["--profile", this.profile, "--schedule", this.schedule],
      ...(this.hasConfig ? ["--config", CONFIG_PATH] : []),
    ]);
    return new StartedInvEmulatorContainer(await super.start(), this.profile);
  }
}
