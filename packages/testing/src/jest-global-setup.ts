import { startInventoryEmulator } from "@inv-emulator/inventory";
import { ENDPOINT_VARIABLE } from "./endpoint.js";

/**
 * Jest `globalSetup`: one emulator per test run; workers inherit its endpoint through the environment.
 * Pair it with `@inv-emulator/testing/jest-global-teardown`.
 */
export default async function globalSetup(): Promise<void> {
  const emulator = await startInventoryEmulator({ port: 0, inMemory: true });
  process.env[ENDPOINT_VARIABLE] = emulator.endpoint;
  (globalThis as { __INV_EMULATOR__?: { close(): Promise<void> } }).__INV_EMULATOR__ = emulator;
}
