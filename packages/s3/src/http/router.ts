import type { Engine } from "../engine.js";
import { S3Error } from "../errors/s3-error.js";
import type { OperationAction } from "../policy/actions.js";
import type { S3Request } from "./s3-request.js";
import type { S3Response } from "./s3-response.js";

export type Target = "service" | "bucket" | "object";
export type Handler = (engine: Engine, request: S3Request) => S3Response | Promise<S3Response>;

/** One S3 operation: the AWS name, and what a request must look like to be it. */
export interface Route {
  operation: string;
  method: string;
  target: Target;
  /** Query parameter that selects this operation (`?versioning`, `?uploadId`, ...). */
  subresource?: string;
  /** Further discrimination on the same method and sub-resource (copy source header, list-type=2). */
  when?: (request: S3Request) => boolean;
  handler: Handler;
  /** The IAM action the operation needs, for routes not in policy/actions.ts (plugins). */
  access?: OperationAction;
}

/** Sub-resources S3 has that the engine does not serve: answered NotImplemented, never misrouted. */
const UNSUPPORTED_SUBRESOURCES = [
  "accelerate",
  "acl",
  "analytics",
  "attributes",
  "cors",
  "encryption",
  "intelligent-tiering",
  "lifecycle",
  "legal-hold",
  "logging",
  "metadataTable",
  "metrics",
  "notification",
  "object-lock",
  "ownershipControls",
  "policyStatus",
  "publicAccessBlock",
  "replication",
  "requestPayment",
  "restore",
  "retention",
  "select",
  "session",
  "torrent",
  "website",
];

export function targetOf(request: Pick<S3Request, "bucket" | "key">): Target {
  if (request.bucket === undefined) return "service";
  return request.key === undefined ? "bucket" : "object";
}

/**
 * Routing as a table lookup. The request's sub-resource is the first route sub-resource present in its
 * query; then the method picks the route, and `when` narrows it. Three outcomes besides a match, as
 * s3rver has them: an unknown sub-resource is NotImplemented, a known one with the wrong verb is
 * MethodNotAllowed, and no route at all is MethodNotAllowed too.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(...routes: Route[]): void {
    this.routes.push(...routes);
  }

  resolve(request: S3Request): Route {
    const target = targetOf(request);
    const forTarget = this.routes.filter((route) => route.target === target);
    const subresource = forTarget.find(
      (route) => route.subresource && request.query.has(route.subresource),
    )?.subresource;
    if (!subresource) {
      const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => request.query.has(name));
      if (unsupported) throw new S3Error("NotImplemented");
    }
    const candidates = forTarget.filter((route) => route.subresource === subresource);
    const byMethod = candidates.filter((route) => route.method === request.method);
    const match = byMethod.find((route) => route.when?.(request)) ?? byMethod.find((route) => !route.when);
    if (match) return match;
    const methods = [...new Set(candidates.map((route) => route.method))];
    // A HEAD is a GET without its body: S3 answers HEAD ?inventory with `Allow: GET` (spec/inventory.md §1.1 [O]),
    // not with every method of the sub-resource.
    const allow = (request.method === "HEAD" && methods.includes("GET") ? ["GET"] : methods).join(", ");
    throw new S3Error("MethodNotAllowed", {
      fields: { Method: request.method, ResourceType: subresource ? subresource.toUpperCase() : target.toUpperCase() },
      headers: allow ? { allow } : {},
    });
  }
}
