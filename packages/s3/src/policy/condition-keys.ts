import type { Principal } from "../auth/identity.js";
import { getHeader, type S3Request } from "../http/s3-request.js";

/** Global keys every request has, from its principal and its connection. */
function principalKeys(principal: Principal): Record<string, string | undefined> {
  return {
    "aws:principalarn": principal.kind === "anonymous" ? undefined : principal.arn,
    "aws:principalaccount": principal.accountId || undefined,
    "aws:principalorgid": principal.orgId,
    "cw:principalorgid": principal.orgId,
    "aws:principaltype": { user: "User", service: "AWSService", anonymous: "Anonymous" }[principal.kind],
    "aws:userid": principal.accessKeyId,
    "aws:username": principal.kind === "user" ? principal.arn.split("/").pop() : undefined,
  };
}

/** Request headers that S3 exposes as `s3:` condition keys. */
const HEADER_KEYS = [
  "x-amz-acl",
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-storage-class",
  "x-amz-copy-source",
  "x-amz-metadata-directive",
  "x-amz-content-sha256",
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-write",
  "x-amz-object-ownership",
];

/** Query parameters of listings that S3 exposes as keys (`s3:prefix` is what CoreWeave's examples use). */
const QUERY_KEYS = [
  ["s3:prefix", "prefix"],
  ["s3:delimiter", "delimiter"],
  ["s3:max-keys", "max-keys"],
  ["s3:versionid", "versionId"],
] as const;

export function requestKeys(request: S3Request): Record<string, string | undefined> {
  const now = Date.now();
  const keys: Record<string, string | undefined> = {
    ...principalKeys(request.principal),
    "aws:sourceip": request.raw.socket.remoteAddress?.replace(/^::ffff:/, ""),
    "aws:securetransport": "encrypted" in request.raw.socket ? "true" : "false",
    "aws:currenttime": new Date(now).toISOString(),
    "aws:epochtime": String(Math.floor(now / 1000)),
    "aws:useragent": getHeader(request, "user-agent"),
    "aws:referer": getHeader(request, "referer"),
    "s3:authtype": request.headers.authorization
      ? "REST-HEADER"
      : request.query.has("X-Amz-Signature")
        ? "REST-QUERY-STRING"
        : undefined,
    "s3:signatureversion":
      request.headers.authorization || request.query.has("X-Amz-Signature") ? "AWS4-HMAC-SHA256" : undefined,
  };
  for (const header of HEADER_KEYS) keys[`s3:${header}`] = getHeader(request, header);
  for (const [key, parameter] of QUERY_KEYS) keys[key] = request.query.get(parameter) ?? undefined;
  const tagging = getHeader(request, "x-amz-tagging");
  if (tagging) {
    const tags = new URLSearchParams(tagging);
    for (const [name, value] of tags) keys[`s3:requestobjecttag/${name}`] = value;
    keys["s3:requestobjecttagkeys"] = [...tags.keys()].join("\u0000");
  }
  return keys;
}

export function serviceKeys(
  principal: Principal,
  extra: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const now = Date.now();
  return {
    ...principalKeys(principal),
    "aws:currenttime": new Date(now).toISOString(),
    "aws:epochtime": String(Math.floor(now / 1000)),
    ...extra,
  };
}

/**
 * Normalizes a key for lookup: IAM key names are case-insensitive, but the tag name after
 * `s3:ExistingObjectTag/` or `s3:RequestObjectTag/` is not.
 */
export function normalizeKey(key: string): string {
  const slash = key.indexOf("/");
  return slash === -1 ? key.toLowerCase() : key.slice(0, slash).toLowerCase() + key.slice(slash);
}
