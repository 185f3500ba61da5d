export { DEFAULT_PORT, parseStartOptions, startHelp } from "./start-options.js";
export { connectionHelp } from "./connection-help.js";
