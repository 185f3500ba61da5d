export { ALL_VERSIONS_WARNING, S3rverHost, type S3rverInventoryRun } from "./s3rver-host.js";
export { S3rverInventoryService } from "./s3rver-inventory-service.js";
export type { KoaContext, KoaMiddleware, S3rverApp, S3rverStore } from "./s3rver-types.js";
export { S3RVER_ACCOUNT_ID, type S3rverInventoryOptions, withInventory } from "./with-inventory.js";
