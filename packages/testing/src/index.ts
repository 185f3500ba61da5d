export { emulatorEndpoint, ENDPOINT_VARIABLE } from "./endpoint.js";
export { runInventory, inventoryRuns, advanceClock, freshBucketName, type RunRecord } from "./control.js";
export { latestReport, emulatorClient, type Report, type Manifest } from "./latest-report.js";
export { decodeDataFile, formUrlDecode, type ReportRecord } from "./decode-report.js";
