import { startInventoryEmulator } from "@inv-emulator/inventory";
import type { Command } from "../command.js";
import { connectionHelp } from "../connection-help.js";
import { DEFAULT_PORT, EMULATOR_FLAGS, emulatorOptions } from "../emulator-flags.js";
import { untilStopped } from "../until-stopped.js";

export const startCommand: Command<typeof EMULATOR_FLAGS> = {
  name: "start",
  summary: "Start the S3 emulator with inventory, print how to point clients at it, and run until Ctrl-C or SIGTERM.",
  flags: EMULATOR_FLAGS,
  async run(values, output) {
    const options = emulatorOptions(values, { port: DEFAULT_PORT });
    const emulator = await startInventoryEmulator(options);
    output.log(connectionHelp(emulator.endpoint, options.profile));
    output.log(`\n${await untilStopped()}: stopping`);
    await emulator.close();
    return 0;
  },
};
