export {
  allConfigurations,
  deleteConfiguration,
  findConfiguration,
  getConfiguration,
  listConfigurations,
  putConfiguration,
} from "./configuration/configuration-api.js";
export {
  destinationBucket,
  type InventoryConfiguration,
  includesAllVersions,
} from "./configuration/inventory-configuration.js";
export { parseConfiguration } from "./configuration/parse-configuration.js";
export { INVENTORY_CONTROL_ROUTES } from "./control-routes.js";
export { engineHost } from "./engine-host.js";
export { deliveryKeys, type InventoryHost, type ReportObjectOptions, type ReportSnapshot } from "./host.js";
export {
  ALL_VERSIONS_WARNING,
  type InventoryOptions,
  type InventoryRun,
  InventoryRunError,
  InventoryService,
  type ScheduleMode,
} from "./inventory-service.js";
export type { InventoryPlugin } from "./plugin.js";
export { inventoryPlugin } from "./plugin.js";
export {
  AWS_OPTIONAL_FIELDS,
  COREWEAVE_OPTIONAL_FIELDS,
  INVENTORY_PROFILES,
  type InventoryProfile,
  MAX_CONFIGURATIONS,
} from "./profiles.js";
export { COLUMNS, type ReportColumn, type ReportRow, selectColumns } from "./report/columns.js";
export { encodeDataFile } from "./report/formats/encode-off-thread.js";
export { REPORT_FORMATS, type ReportFormat } from "./report/formats/index.js";
export { formUrlEncode } from "./report/key-encoding.js";
export { reportLayout } from "./report/layout.js";
export { type ReportOutcome, runReport } from "./report/run-report.js";
export { type InventoryEmulator, startInventoryEmulator } from "./start-inventory-emulator.js";
