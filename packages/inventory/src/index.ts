export { inventoryPlugin } from "./plugin.js";
export { engineHost } from "./engine-host.js";
export { deliveryKeys, type InventoryHost, type ReportObjectOptions, type ReportSnapshot } from "./host.js";
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
export { startInventoryEmulator, type InventoryEmulator } from "./start-inventory-emulator.js";
export {
  ALL_VERSIONS_WARNING,
  InventoryService,
  InventoryRunError,
  type InventoryRun,
  type InventoryOptions,
  type ScheduleMode,
} from "./inventory-service.js";
export type { InventoryPlugin } from "./plugin.js";
export { COLUMNS, selectColumns, type ReportColumn, type ReportRow } from "./report/columns.js";
export { REPORT_FORMATS, type ReportFormat } from "./report/formats/index.js";
export { formUrlEncode } from "./report/key-encoding.js";
export { reportLayout } from "./report/layout.js";
export { runReport, type ReportOutcome } from "./report/run-report.js";
export { INVENTORY_CONTROL_ROUTES } from "./control-routes.js";
