import type { IncomingMessage } from "node:http";
import { S3Error } from "../errors/s3-error.js";
import { accessKeyOf, type Identities, type Principal } from "./identity.js";
import { parseAuthorization, verifySignature } from "./sigv4.js";

/**
 * Who sent a request. By default the access key alone names the principal (signatures are not checked,
 * so dummy credentials work). In strict mode the SigV4 signature (header or presigned URL) is verified
 * with the user's secret, unknown keys are refused and unsigned requests are anonymous.
 */
export function authenticate(
  identities: Identities,
  req: IncomingMessage,
  query: URLSearchParams,
  nowMs: number,
): Principal {
  if (!identities.strict) return identities.resolve(accessKeyOf(req.headers.authorization, query));
  const parts = { method: req.method ?? "GET", rawUrl: req.url ?? "/", headers: req.headers };
  const auth = parseAuthorization(parts);
  if (!auth) return identities.resolve(undefined);
  const found = identities.find(auth.accessKeyId);
  if (!found) throw new S3Error("InvalidAccessKeyId", { fields: { AWSAccessKeyId: auth.accessKeyId } });
  verifySignature(parts, auth, found.secret, nowMs);
  return found.principal;
}
