import {
  type ControlRoute,
  type EmulatorPlugin,
  type Engine,
  emptyResponse,
  type Route,
  readDocumentBody,
} from "@inv-emulator/s3";
import {
  deleteConfiguration,
  getConfiguration,
  listConfigurations,
  putConfiguration,
} from "./configuration/configuration-api.js";
import { INVENTORY_CONTROL_ROUTES } from "./control-routes.js";
import { engineHost } from "./engine-host.js";
import { type InventoryOptions, InventoryService, validateInventoryOptions } from "./inventory-service.js";

const PUT_ACCESS = { action: "s3:PutInventoryConfiguration", resource: "bucket" } as const;
const GET_ACCESS = { action: "s3:GetInventoryConfiguration", resource: "bucket" } as const;

/** spec/inventory.md §1.1: `?inventory` on the bucket; GET with `id` is Get, without is List. */
const INVENTORY_ROUTES: Route[] = [
  {
    operation: "PutBucketInventoryConfiguration",
    method: "PUT",
    target: "bucket",
    subresource: "inventory",
    access: PUT_ACCESS,
    async handler(engine, request) {
      const body = await readDocumentBody(engine, request);
      putConfiguration(engineHost(engine), { bucket: request.bucket as string, id: request.query.get("id"), body });
      return emptyResponse(204);
    },
  },
  {
    operation: "GetBucketInventoryConfiguration",
    method: "GET",
    target: "bucket",
    subresource: "inventory",
    when: (request) => request.query.has("id"),
    access: GET_ACCESS,
    handler: (engine, request) => ({
      status: 200,
      headers: { "content-type": "application/xml" },
      body: getConfiguration(engineHost(engine), { bucket: request.bucket as string, id: request.query.get("id") }),
    }),
  },
  {
    operation: "ListBucketInventoryConfigurations",
    method: "GET",
    target: "bucket",
    subresource: "inventory",
    access: GET_ACCESS,
    // Recorded from AWS: the list answers without a Content-Type header (spec/inventory.md §1.3).
    handler: (engine, request) => ({
      status: 200,
      body: listConfigurations(engineHost(engine), {
        bucket: request.bucket as string,
        continuationToken: request.query.get("continuation-token"),
      }),
    }),
  },
  {
    operation: "DeleteBucketInventoryConfiguration",
    method: "DELETE",
    target: "bucket",
    subresource: "inventory",
    access: PUT_ACCESS,
    handler(engine, request) {
      deleteConfiguration(engineHost(engine), { bucket: request.bucket as string, id: request.query.get("id") });
      return emptyResponse(204);
    },
  },
];

export interface InventoryPlugin extends EmulatorPlugin {
  /** The run API of the engine this plugin is attached to. */
  service(engine: Engine): InventoryService;
}

/**
 * The inventory plugin for the emulator's engine: the configuration API, the run-now trigger and schedules.
 * @example startEmulator({ plugins: [inventoryPlugin({ schedule: "manual" })] })
 */
export function inventoryPlugin(options: InventoryOptions = {}): InventoryPlugin {
  validateInventoryOptions(options);
  const services = new Map<Engine, InventoryService>();
  const service = (engine: Engine) => {
    let found = services.get(engine);
    if (!found) {
      found = new InventoryService(engineHost(engine), options);
      services.set(engine, found);
    }
    return found;
  };
  return {
    name: "inventory",
    routes: INVENTORY_ROUTES,
    // The engine's server hands its routes the engine: each of ours answers with that engine's service.
    controlRoutes: INVENTORY_CONTROL_ROUTES.map(
      (route): ControlRoute => ({ ...route, handle: (engine, req, url) => route.handle(service(engine), req, url) }),
    ),
    attach: (engine) => void service(engine),
    service,
    close() {
      for (const found of services.values()) found.close();
      services.clear();
    },
  };
}
