export {
  advanceClock,
  freshBucketName,
  inventoryRuns,
  type RunRecord,
  requestControl,
  runInventory,
} from "./control.js";
export { decodeDataFile, formUrlDecode, type ReportRecord } from "./decode-report.js";
export { emulatorClient } from "./emulator-client.js";
export { ENDPOINT_VARIABLE, emulatorEndpoint } from "./endpoint.js";
export { latestReport, type Manifest, type Report } from "./latest-report.js";
export { resetEmulator } from "./reset.js";
