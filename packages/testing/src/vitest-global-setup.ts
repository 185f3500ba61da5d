import { startInventoryEmulator } from "@inv-emulator/inventory";
import { ENDPOINT_VARIABLE } from "./endpoint.js";

/** What Vitest passes to a global setup: `provide` hands values to `inject` in test files. */
interface GlobalSetupContext {
  provide?(key: string, value: unknown): void;
}

/**
 * Vitest `globalSetup`: one emulator per test run, on a free port, stopped when the run ends.
 * Test files get the endpoint with `inject("invEmulatorEndpoint")` or `emulatorEndpoint()`.
 * @example export default defineConfig({ test: { globalSetup: ["@inv-emulator/testing/vitest-global-setup"] } })
 */
export default async function setup(context: GlobalSetupContext = {}): Promise<() => Promise<void>> {
  const emulator = await startInventoryEmulator({ port: 0, inMemory: true });
  process.env[ENDPOINT_VARIABLE] = emulator.endpoint;
  context.provide?.("invEmulatorEndpoint", emulator.endpoint);
  return () => emulator.close();
}
