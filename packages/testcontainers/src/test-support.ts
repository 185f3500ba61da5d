/**
 * Gate for the tests that need a Docker engine: they run when one answers and the image exists, are skipped with
 * the reason otherwise, and fail instead under INV_EMULATOR_REQUIRE_DOCKER=1 (CI, after scripts/docker/setup.sh).
 */
import { getContainerRuntimeClient, ImageName } from "testcontainers";
import { describe, it } from "vitest";
import { DEFAULT_IMAGE } from "./inv-emulator-container.js";

/** The image under test: INV_EMULATOR_IMAGE, or the tag scripts/docker/build-image.sh builds. */
export const TEST_IMAGE = process.env.INV_EMULATOR_IMAGE || DEFAULT_IMAGE;

const HOW_TO =
  "run scripts/docker/setup.sh (as root: installs and starts dockerd, builds the image), then " +
  "export DOCKER_HOST=unix:///var/lib/ci-docker/docker/docker.sock TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1";

/** Why the Docker tests cannot run here, or undefined when they can. */
async function unavailableBecause(): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no answer within 15 s")), 15_000);
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    if (!(await Promise.race([client.image.exists(ImageName.fromString(TEST_IMAGE)), timeout]))) {
      return `the image ${TEST_IMAGE} is not built: ${HOW_TO}`;
    }
    return undefined;
  } catch (error) {
    const host = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : "DOCKER_HOST unset";
    return `no Docker engine reachable (${host}: ${(error as Error).message.split("\n")[0]}); ${HOW_TO}`;
  } finally {
    clearTimeout(timer);
  }
}

const reason = await unavailableBecause();
const required = process.env.INV_EMULATOR_REQUIRE_DOCKER === "1";
if (reason && !required) console.warn(`[@inv-emulator/testcontainers] Docker tests skipped: ${reason}`);
if (!reason && process.env.TESTCONTAINERS_RYUK_DISABLED !== "true") {
  // Ryuk (testcontainers' reaper) comes from Docker Hub: without a registry, starting fails with a pull error.
  console.warn(
    "[@inv-emulator/testcontainers] Ryuk is enabled: with no image registry, set TESTCONTAINERS_RYUK_DISABLED=true",
  );
}

/** `describe` for tests that start containers; see the module comment for when they run, skip or fail. */
export function describeWithDocker(name: string, body: () => void): void {
  if (!reason) {
    describe(name, body);
  } else if (required) {
    describe(name, () => {
      it("has a Docker engine and the image (INV_EMULATOR_REQUIRE_DOCKER=1)", () => {
        throw new Error(reason);
      });
    });
  } else {
    describe(name, () => {
      it.skip(`skipped: ${reason}`, () => {});
    });
  }
}
