import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Principal } from "../auth/identity.js";

/** A request after addressing and identification: what every operation handler receives. */
export interface S3Request {
  readonly method: string;
  /** undefined for service-level requests (ListBuckets). */
  readonly bucket: string | undefined;
  /** undefined for bucket-level requests; object keys are never empty. */
  readonly key: string | undefined;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly raw: IncomingMessage;
  readonly requestId: string;
  readonly principal: Principal;
}

export function getHeader(request: Pick<S3Request, "headers">, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
