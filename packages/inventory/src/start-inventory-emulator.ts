import { type EmulatorOptions, type RunningEmulator, startEmulator } from "@inv-emulator/s3";
import type { InventoryOptions, InventoryService } from "./inventory-service.js";
import { inventoryPlugin } from "./plugin.js";

export interface InventoryEmulator extends RunningEmulator {
  /** run({ bucket, id, at }), runs(), advanceClock(to), and "run" events. */
  inventory: InventoryService;
}

/**
 * The emulator with inventory: an S3 engine plus the inventory configuration API and reports.
 * @example const emulator = await startInventoryEmulator({ port: 0 }); await emulator.inventory.run({ bucket, id });
 */
export async function startInventoryEmulator(
  options: EmulatorOptions & InventoryOptions = {},
): Promise<InventoryEmulator> {
  const plugin = inventoryPlugin(options);
  const emulator = await startEmulator({ ...options, plugins: [plugin, ...(options.plugins ?? [])] });
  return Object.assign(emulator, { inventory: plugin.service(emulator.engine) });
}
