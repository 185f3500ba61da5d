export {
  DATA_DIR,
  DEFAULT_IMAGE,
  type EmulatorConfig,
  INV_EMULATOR_PORT,
  InvEmulatorContainer,
  type Profile,
} from "./inv-emulator-container.js";
export {
  InvEmulatorControlError,
  type InventoryRun,
  StartedInvEmulatorContainer,
} from "./started-inv-emulator-container.js";
