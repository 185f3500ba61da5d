export { DEFAULT_PORT, EMULATOR_FLAGS, emulatorOptions } from "./emulator-flags.js";
export { connectionHelp } from "./connection-help.js";
export { CliError, type Command } from "./command.js";
