export { CliError, type Command } from "./command.js";
export { connectionHelp } from "./connection-help.js";
export { DEFAULT_PORT, EMULATOR_FLAGS, emulatorOptions } from "./emulator-flags.js";
