export { S3rverHost } from "./s3rver-host.js";
export type { KoaContext, KoaMiddleware, S3rverApp, S3rverStore } from "./s3rver-types.js";
export { S3RVER_ACCOUNT_ID, type S3rverInventoryOptions, withInventory } from "./with-inventory.js";
