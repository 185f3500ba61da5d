export { inventoryPlugin } from "./plugin.js";
export { engineHost } from "./engine-host.js";
export type { InventoryHost } from "./host.js";
export {
  INVENTORY_PROFILES,
  AWS_OPTIONAL_FIELDS,
  COREWEAVE_OPTIONAL_FIELDS,
  MAX_CONFIGURATIONS,
  type InventoryProfile,
} from "./profiles.js";
export {
  putConfiguration,
  getConfiguration,
  listConfigurations,
  deleteConfiguration,
  allConfigurations,
  findConfiguration,
} from "./configuration/configuration-api.js";
export {
  type InventoryConfiguration,
  destinationBucket,
  includesAllVersions,
} from "./configuration/inventory-configuration.js";
export { parseConfiguration } from "./configuration/parse-configuration.js";
